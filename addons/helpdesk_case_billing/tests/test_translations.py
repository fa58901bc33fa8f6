# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path
from odoo.tools.translate import TranslationModuleReader

MODULE = "helpdesk_case_billing"
SHIPPED_LANGUAGES = ("nl", "it", "ro", "pl", "fr", "de")
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|\{[a-z_]*\}")
WEB_CLIENT_STRING = re.compile(r"""\b_t\(\s*"((?:[^"\\]|\\.)*)"|\b_t\(\s*'((?:[^'\\]|\\.)*)'""")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The translation template is current and every shipped language is complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))
        cls.pot_ids = {entry.msgid for entry in cls.pot if entry.msgid}

    def test_template_has_every_term_of_the_module(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        sources = {row[4] for row in reader if row[0] == MODULE and row[4]}
        missing = sorted(sources - self.pot_ids)
        self.assertFalse(
            missing,
            "Terms missing from i18n/%s.pot (export it again): %s" % (MODULE, missing[:20]),
        )

    def test_web_client_strings_are_in_the_template(self):
        with open(file_path(f"{MODULE}/static/src/js/case_billing.esm.js"), encoding="utf-8") as bundle:
            code = bundle.read()
        strings = {
            (double or single).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            for double, single in WEB_CLIENT_STRING.findall(code)
        }
        self.assertTrue(strings, "the web-client bundle has translatable strings")
        # Odoo's extraction only sees calls spelled `_t(`: no bundler alias.
        self.assertFalse(re.findall(r"\b_t\d+\(", code), "the bundle calls _t under another name")
        self.assertFalse(sorted(strings - self.pot_ids), "web-client strings missing from the .pot")

    def test_every_shipped_language_is_complete(self):
        for lang in SHIPPED_LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(file_path(f"{MODULE}/i18n/{lang}.po"))
                translated = {entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete}
                untranslated = sorted(self.pot_ids - set(translated))
                self.assertFalse(untranslated, f"{lang}.po lacks {len(untranslated)} terms: {untranslated[:10]}")
                for msgid, msgstr in translated.items():
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(msgid)),
                        sorted(PLACEHOLDER.findall(msgstr)),
                        f"{lang}.po changes the placeholders of {msgid!r}",
                    )
