"""The receipt page carries what the scanner needs: each line's barcode and ISBN, the texts,
and the decoder served by the portal (no CDN)."""

from datetime import date

import pytest
from django.urls import reverse

from circulation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(collection, school_library, thuvien):
    planned = services.rotation_plan(
        collection=collection, school_library=school_library, planned_dispatch_date=date(2026, 11, 25), by=thuvien
    )
    return services.rotation_dispatch(rotation=planned, by=thuvien)


def test_receipt_page_lists_codes_for_the_scanner(client, dispatched, tv_lac_son, django_assert_max_num_queries):
    client.force_login(tv_lac_son)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("circulation:rotation-receive", args=[dispatched.pk])).content.decode()
    for line in dispatched.lines.select_related("item"):
        assert f'data-codes="{line.barcode} {line.item.isbn}"' in page
    assert 'id="scan-texts" type="application/json"' in page
    assert "/static/vendor/zxing/zxing-browser.min.js" in page
    assert 'inputmode="numeric"' in page
    assert "<script>" not in page
