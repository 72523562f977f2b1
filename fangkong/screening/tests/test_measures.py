from fangkong.screening.measures import measure_choices, measure_exists
from fangkong.screening.models import ControlMeasure


def test_it_lists_the_active_seeded_measures(db: None) -> None:
    codes = [code for code, _name in measure_choices()]
    assert codes == ["centralized_isolation", "home_isolation", "health_monitoring", "none"]
    assert dict(measure_choices())["home_isolation"] == "居家隔离"


def test_an_inactive_measure_does_not_exist(db: None) -> None:
    ControlMeasure.objects.filter(code="home_isolation").update(active=False)
    assert not measure_exists("home_isolation")
    assert measure_exists("none")
    assert not measure_exists("")
