"""Helpers of the browser test (tests/test_browser.py) and the app benchmark (bench/app_edit.py)."""
