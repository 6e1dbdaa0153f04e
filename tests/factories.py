"""factory_boy factories for the directory; each app adds its own in tests/<app>/factories.py."""

import factory

from directory.models import AdministrativeUnit, Organisation, User

PASSWORD = "hoabinh-demo"


def district(code: str) -> AdministrativeUnit:
    """A real district of Hòa Bình (loaded once per test session): '157' is Lạc Sơn."""
    return AdministrativeUnit.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG-{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    kind = Organisation.Kind.EDUCATION_OFFICE
    sector = factory.LazyAttribute(lambda o: Organisation.sector_for_kind(o.kind))
    district = factory.LazyFunction(lambda: district("157"))


class SchoolFactory(OrganisationFactory):
    kind = Organisation.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"Trường Tiểu học Thử nghiệm {n}")
    school_level = Organisation.SchoolLevel.PRIMARY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    role = User.Role.DISTRICT_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        from directory.roles import apply_role

        if create:
            obj.save()
            apply_role(obj)
            obj.save(update_fields=["is_staff"])
