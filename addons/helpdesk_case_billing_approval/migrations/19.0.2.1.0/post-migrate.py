# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval request and reminder say what the customer approves: the time
spent, the time billed for it and its amount, where they said "We spent 00:50
hours". Their templates are data users may change (noupdate): the bodies that
still print the old figure (the request's total hours) are rewritten from the
module's data file, and their translations are loaded again from the module's
.po files; a body a user rewrote without that figure is kept."""
import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

MODULE = "helpdesk_case_billing_approval"
DATA_FILE = f"{MODULE}/data/mail_template_case_approval.xml"
TEMPLATES = ("mail_template_case_approval_request", "mail_template_case_approval_reminder")
# What the bodies shipped before printed as the case's time.
OLD_FIGURE = "format_duration(object.total_hours)"


def shipped_bodies():
    """{record id: body_html} of the templates, as the data file writes them
    (the HTML of the field's children, as Odoo's data loader reads it)."""
    with file_open(DATA_FILE, "rb") as data:
        tree = etree.parse(data)
    bodies = {}
    for xml_id in TEMPLATES:
        field = tree.find(f".//record[@id='{xml_id}']/field[@name='body_html']")
        bodies[xml_id] = "".join(
            etree.tostring(child, method="html", encoding="unicode") for child in field
        )
    return bodies


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rewritten = env["mail.template"]
    for xml_id, body in shipped_bodies().items():
        template = env.ref(f"{MODULE}.{xml_id}", raise_if_not_found=False)
        if not template:
            continue
        cr.execute("SELECT body_html->>'en_US' FROM mail_template WHERE id = %s", [template.id])
        current = (cr.fetchone() or [None])[0] or ""
        if OLD_FIGURE not in current:
            _logger.info("%s: body changed by a user, kept as it is", xml_id)
            continue
        template.with_context(lang="en_US").body_html = body
        rewritten |= template
    if not rewritten:
        return
    env.flush_all()
    # The translations of the old body do not translate the new one: drop
    # them and load the module's own.
    cr.execute(
        "UPDATE mail_template SET body_html = jsonb_build_object('en_US', body_html->'en_US') "
        "WHERE id IN %s",
        [tuple(rewritten.ids)],
    )
    rewritten.invalidate_recordset(["body_html"])
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms([MODULE], langs)
    _logger.info("Approval mail bodies rewritten: %s", ", ".join(rewritten.mapped("name")))
