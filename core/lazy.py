"""Page data read only when the template shows it.

A page part kept rendered (``{% datacache %}``, core.templatetags.fragments) is not drawn
again, so the queries behind it should not run either: a presenter hands the template
values that compute themselves on first use.
"""

import functools

from django.utils.functional import SimpleLazyObject


def parts(compute, *names: str) -> dict:
    """``compute()``'s values under `names`, each a lazy object; the first one used calls
    `compute` (once for all of them)."""
    once = functools.cache(compute)
    return {name: SimpleLazyObject(functools.partial(lambda n: once()[n], name)) for name in names}
