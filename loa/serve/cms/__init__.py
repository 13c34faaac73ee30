"""Decap CMS in `serve`: the admin page, the proxy protocol, a file's problems (app.py, proxy.py)."""
