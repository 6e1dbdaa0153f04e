import factory
from stdnum import ean

from circulation.models import Item, RotatingCollection
from directory.models import Organisation


def isbn13(n: int) -> str:
    """A valid Vietnamese ISBN-13 (978-604-…) for test number n."""
    body = f"978604{n:06d}"
    return body + ean.calc_check_digit(body)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotatingCollection

    owner = factory.LazyFunction(lambda: Organisation.objects.get(code="TVT"))
    code = factory.Sequence(lambda n: f"BST-{n:03d}")
    name = factory.Sequence(lambda n: f"Tủ sách thiếu nhi số {n}")
    theme = "Văn học thiếu nhi"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    collection = factory.SubFactory(CollectionFactory)
    library = factory.LazyAttribute(lambda o: o.collection.owner)
    title = factory.Sequence(lambda n: f"Truyện cổ tích Việt Nam tập {n}")
    authors = "Nguyễn Đổng Chi"
    publisher = "NXB Kim Đồng"
    year = 2021
    isbn = factory.Sequence(lambda n: isbn13(n))
    barcode = factory.Sequence(lambda n: f"TV{n:06d}")
    copies = 2


def collection_with_items(n_items: int = 3, copies: int = 2, **kwargs) -> RotatingCollection:
    collection = CollectionFactory(**kwargs)
    for _i in range(n_items):
        ItemFactory(collection=collection, copies=copies)
    return collection
