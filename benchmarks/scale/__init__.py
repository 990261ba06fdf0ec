"""Helpers of ``benchmarks/server_scale.py``: server processes, WebSocket clients, browser runs."""
