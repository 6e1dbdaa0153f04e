"""Static files in production: whitenoise's compressed, hashed files, with each file's URL
worked out once per process.

Every page names a few dozen static files (the admin's changelists one icon per yes/no cell);
each name is looked up in the manifest and joined to STATIC_URL every time. The manifest is
fixed for the life of the process, so the answer is kept.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_urls: dict = {}

    def url(self, name, force=False):
        key = (name, force)
        found = self._known_urls.get(key)
        if found is None:
            found = self._known_urls[key] = super().url(name, force)
        return found
