"""Flask side of localisation: Babel, the locale in every URL, gettext and template filters.

The rest of the code takes `_`, `_l`, `ngettext` and `pgettext` from here.
"""

import gettext
import logging
from datetime import datetime
from functools import cached_property

import click
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, Domain, format_date, format_datetime, ngettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from mlo import locales
from mlo.config import catalog_folder
from mlo.locales import Locale
from mlo.text import dates
from mlo.text.messages import breaks_a_page

__all__ = ["_", "_l", "_lp", "ngettext", "pgettext", "current_locale", "init_app"]

log = logging.getLogger(__name__)


class LocaleConverter(BaseConverter):
    """URL converter that accepts exactly the locale prefixes of the table."""

    regex = "|".join(locale.prefix for locale in locales.LOCALES)

    def to_python(self, value: str) -> Locale:
        """The Locale for a prefix."""
        return locales.BY_PREFIX[value]

    def to_url(self, value: Locale | str) -> str:
        """The prefix of a Locale (or a prefix string as given)."""
        return value.prefix if isinstance(value, Locale) else value


class SafeDomain(Domain):
    """A gettext domain whose catalogs never break a page.

    A msgstr whose placeholders cannot be filled like its msgid's, or that adds markup
    characters the msgid does not have, is dropped when the catalog loads (with a warning), so
    the reader gets the English string instead of an error or broken HTML.
    """

    def get_translations(self):
        """The loaded catalog for the current locale, with unsafe messages removed once."""
        translations = super().get_translations()
        if not getattr(translations, "mlo_checked", False):
            for msgid in remove_unsafe_messages(translations):
                log.warning("broken translation of %r ignored; showing the original", msgid)
            translations.mlo_checked = True
        return translations


def remove_unsafe_messages(translations: gettext.NullTranslations) -> list[str]:
    """Drop loaded messages that would break a page, every form of a counted one; their msgids."""
    catalog = getattr(translations, "_catalog", {})
    unsafe: set[str] = set()  # msgids with their context, as the catalog's keys hold them
    for key, string in catalog.items():
        counted = isinstance(key, tuple)  # plural forms are stored as (msgid, form)
        full = key[0] if counted else key
        msgid = full.split("\x04", 1)[-1]  # drop the context
        if msgid and breaks_a_page(msgid, string, counted):  # the header's msgid is empty
            unsafe.add(full)
    # One broken form drops them all: a count in English reads better than a mix of languages.
    for key in [k for k in catalog if (k[0] if isinstance(k, tuple) else k) in unsafe]:
        del catalog[key]
    return [full.split("\x04", 1)[-1] for full in sorted(unsafe)]


class SafeBabel(Babel):
    """Flask-Babel with the safe domain."""

    @cached_property
    def domain_instance(self) -> Domain:
        """The app's safe default domain."""
        return SafeDomain(domain=self.domain)


def current_locale() -> Locale:
    """The locale of this request: from its URL prefix, else negotiated from cookie and browser."""
    locale = g.get("locale")
    if locale is None:
        # Pages that matched no route (a 404) still speak the language of their URL.
        first_segment = request.path.split("/")[1]
        locale = locales.BY_PREFIX.get(first_segment) or visitor_locale()
        g.locale = locale
    return locale


def visitor_locale() -> Locale:
    """The locale a visitor asks for: their `lang` cookie, else their browser's languages."""
    return locales.negotiate(
        request.headers.get("Accept-Language"),
        request.cookies.get(current_app.config["LANG_COOKIE"]),
    )


def init_app(app: Flask) -> None:
    """Wire Babel, the locale URL converter and processors, and the template helpers."""
    _require_compiled_catalogs(app)
    SafeBabel(
        app,
        locale_selector=lambda: current_locale().gettext,
        default_timezone=app.config["NEWSROOM_TIMEZONE"],
    )
    app.url_map.converters["locale"] = LocaleConverter

    @app.url_value_preprocessor
    def pull_locale(_endpoint: str | None, values: dict | None) -> None:
        if values and "loc" in values:
            g.locale = values.pop("loc")

    @app.url_defaults
    def add_locale(endpoint: str, values: dict) -> None:
        if "loc" not in values and app.url_map.is_endpoint_expecting(endpoint, "loc"):
            values["loc"] = current_locale()

    @app.after_request
    def content_language(response: Response) -> Response:
        if "locale" in g and "Content-Language" not in response.headers:
            response.headers["Content-Language"] = g.locale.bcp47
        return response

    app.jinja_env.filters.update(
        script=lambda value: current_locale().text(value),
        script_html=lambda value: Markup(current_locale().html(value)),
        longdate=long_date,
        # Numeric in Serbian (7. 2. 2023.), so it reads right inside a sentence: CLDR has no
        # genitive month names.
        mediumdate=lambda value: format_date(value, "medium"),
        longdatetime=lambda value: format_datetime(value, "medium"),
        localdate_iso=lambda value: dates.to_local(value, _zone()).date().isoformat(),
    )
    app.jinja_env.globals.update(locales=locales.LOCALES, current_locale=current_locale)
    app.jinja_env.policies["ext.i18n.trimmed"] = True


def _require_compiled_catalogs(app: Flask) -> None:
    # Without a compiled catalog every page of that locale would silently be in English. Only
    # the `translate` commands (which compile them) may load the app without them.
    folder = catalog_folder(app)
    paths = [folder / locale.gettext / "LC_MESSAGES" / "messages.mo" for locale in locales.LOCALES]
    missing = [str(path) for path in paths if not path.exists()]
    context = click.get_current_context(silent=True)
    while context is not None and context.info_name != "translate":
        context = context.parent
    if missing and context is None:
        raise RuntimeError(
            f"compiled catalogs are missing ({', '.join(missing)}): "
            "run `flask --app app translate compile` first"
        )


def _zone() -> str:
    return current_app.config["NEWSROOM_TIMEZONE"]


def long_date(value: datetime) -> str:
    """A stored UTC time as the newsroom's local date: 7. фебруар 2023. / February 7, 2023."""
    return format_date(value, "long")
