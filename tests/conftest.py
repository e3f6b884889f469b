pytest_plugins = ["pytester"]
collect_ignore = ["pages"]  # sample pages, run by test_pagecheck.py in a copy
