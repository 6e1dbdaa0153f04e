from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from core import paging


class PortalPagination(PageNumberPagination):
    """`?page=2&page_size=100`; at most 500 rows a page so a list never loads a whole table.
    The `count` of a list is kept under its data versions (core.paging), not recounted for
    every page of a country's table."""

    django_paginator_class = paging.Paginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = _("Số thứ tự trang, từ 1.")
    page_size_query_description = _("Số dòng mỗi trang (mặc định 50, tối đa 500).")
