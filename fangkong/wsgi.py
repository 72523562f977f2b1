import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
# Web requests get the statement timeout (settings.py, DB_STATEMENT_TIMEOUT); job consumers do not.
os.environ.setdefault("FANGKONG_PROCESS", "web")
application = get_wsgi_application()
