"""The programs pages, one module per sub-domain; programs/urls.py names each view by its module."""
