def test_smoke(app, client, pack, player):
    gid = player.start()
    player.play_through(gid)
    r = client.get(f"/games/{gid}/results")
    assert r.status_code == 200
    assert b"5\xe2\x80\xaf000 points" in r.data or b"5000" in r.data, r.data[:2000]
