# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Translation checks shared by the modules of Helpdesk Case Billing.

Each module ships its own ``i18n/<module>.pot`` and one ``.po`` per shipped
language. ``ModuleTranslationChecks`` holds the checks; a module runs them
with a test case that sets ``MODULE``::

    class TestSaleTranslations(ModuleTranslationChecks, TransactionCase):
        MODULE = "helpdesk_case_billing_sale"
"""
import glob
import html
import os
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path
from odoo.tools.translate import TranslationModuleReader

SHIPPED_LANGUAGES = ("nl", "it", "ro", "pl", "fr", "de")
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|\{[a-z_]*\}")
# The first argument of a `_t(` call when it is a string literal.
WEB_CLIENT_STRING = re.compile(
    r"""\b_t\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)""",
    re.DOTALL,
)
# Odoo's extraction only sees calls spelled `_t(`: a bundler alias hides them.
ALIASED_T = re.compile(r"\b_t\d+\(")
JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def unescape_js(literal):
    """The text of a JavaScript string literal's body."""

    def replace(match):
        escape = match.group(1)
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:].strip("{}"), 16))
        if escape in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
            return ""  # line continuation
        return JS_SIMPLE_ESCAPES.get(escape, escape)

    return JS_ESCAPE.sub(replace, literal)


def web_client_files(module):
    """Every compiled script and template the module's web client ships."""
    root = file_path(module)
    scripts = glob.glob(os.path.join(root, "static", "src", "js", "**", "*.js"), recursive=True)
    templates = glob.glob(os.path.join(root, "static", "src", "xml", "*.xml"))
    return sorted(scripts) + sorted(templates)


def web_client_strings(path):
    """The strings a script or template passes to `_t(`, and its aliased calls."""
    with open(path, encoding="utf-8") as source:
        code = source.read()
    strings = set()
    for double, single, backtick in WEB_CLIENT_STRING.findall(code):
        text = unescape_js(double or single or backtick)
        if path.endswith(".xml"):
            text = html.unescape(text)
        if text:
            strings.add(text)
    return strings, ALIASED_T.findall(code)


def template_ids(module):
    pot = polib.pofile(file_path(f"{module}/i18n/{module}.pot"))
    return {entry.msgid for entry in pot if entry.msgid and not entry.obsolete}


class ModuleTranslationChecks:
    """The module's translation template is current and every shipped language is complete.

    A mixin, not a test case: each module's test case adds it to
    TransactionCase and sets MODULE (and WEB_CLIENT_STRINGS when its web client
    has translatable strings, so that the reading of them is checked too).
    """

    MODULE = None
    WEB_CLIENT_STRINGS = False
    # Odoo's loader only runs the test methods a test case defines itself
    # unless it says so.
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot_ids = template_ids(cls.MODULE)

    def test_template_matches_the_terms_of_the_module(self):
        reader = TranslationModuleReader(self.env.cr, modules=[self.MODULE])
        sources = {row[4] for row in reader if row[0] == self.MODULE and row[4]}
        pot = f"i18n/{self.MODULE}.pot"
        missing = sorted(sources - self.pot_ids)
        self.assertFalse(missing, f"Terms missing from {pot} (export it again): {missing[:20]}")
        stale = sorted(self.pot_ids - sources)
        self.assertFalse(stale, f"Terms of {pot} the module no longer has (export it again): {stale[:20]}")

    def test_web_client_strings_are_in_the_template(self):
        files = web_client_files(self.MODULE)
        found = set()
        for path in files:
            strings, aliased = web_client_strings(path)
            rel = os.path.relpath(path, file_path(self.MODULE))
            with self.subTest(file=rel):
                self.assertFalse(aliased, f"{rel} calls _t under another name: {aliased}")
                missing = sorted(strings - self.pot_ids)
                self.assertFalse(missing, f"strings of {rel} missing from the .pot: {missing}")
            found |= strings
        if self.WEB_CLIENT_STRINGS:
            self.assertTrue(found, f"the web client of {self.MODULE} has translatable strings")

    def test_every_shipped_language_is_complete(self):
        for lang in SHIPPED_LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(file_path(f"{self.MODULE}/i18n/{lang}.po"))
                self.assertEqual(po.metadata.get("Language"), lang, f"{lang}.po names its language")
                entries = [entry for entry in po if entry.msgid and not entry.obsolete]
                translated = {entry.msgid: entry.msgstr for entry in entries if entry.msgstr}
                untranslated = sorted(self.pot_ids - set(translated))
                self.assertFalse(untranslated, f"{lang}.po lacks {len(untranslated)} terms: {untranslated[:10]}")
                stale = sorted({entry.msgid for entry in entries} - self.pot_ids)
                self.assertFalse(stale, f"{lang}.po has terms the .pot no longer has: {stale[:10]}")
                for msgid, msgstr in translated.items():
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(msgid)),
                        sorted(PLACEHOLDER.findall(msgstr)),
                        f"{lang}.po changes the placeholders of {msgid!r}",
                    )


@tagged("post_install", "-at_install")
class TestTranslations(ModuleTranslationChecks, TransactionCase):
    MODULE = "helpdesk_case_billing"
    WEB_CLIENT_STRINGS = True
