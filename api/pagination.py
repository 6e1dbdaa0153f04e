from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """`?page=2&page_size=100`; at most 500 rows a page so a list never loads a whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = _("Số thứ tự trang, từ 1.")
    page_size_query_description = _("Số dòng mỗi trang (mặc định 50, tối đa 500).")
