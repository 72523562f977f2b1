def test_the_home_page_counts_the_levels_below_the_user(district, command_user, grid_worker_a, client_for):
    from fangkong.people.tests.helpers import create_person

    create_person(district.grid_a, "张三")
    create_person(district.grid_b, "李四")
    district_body = client_for(command_user).get("/").content.decode()
    assert 'data-testid="count-township"' in district_body and 'data-testid="count-grid"' in district_body
    worker = client_for(grid_worker_a).get("/")
    body = worker.content.decode()
    assert 'data-testid="count-township"' not in body and 'data-testid="count-village"' not in body
    assert worker.context["people"] == 1
    assert "王助镇 / 王助村 / 第1网格" in body


def test_the_home_page_needs_a_login(client, db):
    assert client.get("/").status_code == 302
