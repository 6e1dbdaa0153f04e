from simple_history.admin import SimpleHistoryAdmin

from .search import normalise


class PortalAdmin(SimpleHistoryAdmin):
    """Base admin for domain models: change history, and accent-insensitive search.

    List text fields in `search_fields` as "name__unaccent" to make them match without
    diacritics ("lac son" finds "Lạc Sơn"); the term is normalised the same way.
    """

    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalise(search_term))
