from fangkong.accounts.models import ApiToken, hash_token


def test_a_user_creates_and_revokes_a_token_from_the_page(cadre_a, client_for):
    client = client_for(cadre_a)
    response = client.post("/accounts/tokens/", {"name": "手机"})
    raw = response.context["new_token"]
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    assert token.user == cadre_a and token.name == "手机"
    client.post(f"/accounts/tokens/{token.uuid}/revoke")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(cadre_a, cadre_b, client_for):
    client_for(cadre_a).post("/accounts/tokens/", {"name": "a"})
    token = ApiToken.objects.get(user=cadre_a)
    assert client_for(cadre_b).post(f"/accounts/tokens/{token.uuid}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
