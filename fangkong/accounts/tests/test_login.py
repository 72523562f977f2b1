from fangkong.audit.models import AuditAction, AuditEvent


def test_a_user_logs_in_and_sees_their_jurisdiction(cadre_a, client):
    response = client.post("/accounts/login/", {"username": "wangzhu", "password": "pw-wangzhu"}, follow=True)
    assert response.status_code == 200
    assert "王助镇" in response.content.decode()


def test_the_login_page_is_chinese_by_default(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body and 'lang="zh-CN"' in body


def test_english_is_available(client, db):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to Fangkong" in body


def test_repeated_failures_lock_the_account_and_the_lockout_is_audited(cadre_a, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "wangzhu", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        "/accounts/login/", {"username": "wangzhu", "password": "pw-wangzhu"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    # Axes signals every attempt made while locked; each one is on the record.
    event = AuditEvent.objects.filter(action=AuditAction.LOCKOUT).first()
    assert event is not None
    assert "wangzhu" in event.note and event.ip == "10.9.9.9"


def test_a_user_without_role_sees_nothing(db, client_for, district):
    from fangkong.accounts.models import User

    nobody = User.objects.create_user("nobody", password="x")
    client = client_for(nobody)
    body = client.get("/").content.decode()
    assert "尚未分配" in body
    assert client.get("/people/").status_code == 404


def test_the_navigation_follows_the_permission_table(grid_worker_a, command_user, client_for):
    worker_home = client_for(grid_worker_a).get("/").content.decode()
    assert "/audit/" not in worker_home and "/people/" in worker_home
    assert "/audit/" in client_for(command_user).get("/").content.decode()
