# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval request and reminder no longer carry the customer's link in
their body, which the chatter keeps and employees read: the e-mail's button
carries it. Their templates are data users may change (noupdate): remove only
the link block the addon shipped, in every language, and keep the rest."""
import json
import re

LINK_BLOCK = re.compile(
    r"\s*<div[^>]*>\s*<a\s[^>]*object\.get_portal_url\(\)[^>]*>.*?</a>\s*</div>", re.S
)
TEMPLATES = ("mail_template_case_approval_request", "mail_template_case_approval_reminder")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT t.id, t.body_html
          FROM mail_template t
          JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = t.id
         WHERE d.module IN ('helpdesk_case_billing', 'helpdesk_case_billing_approval')
           AND d.name IN %s
        """,
        (TEMPLATES,),
    )
    for template_id, body in cr.fetchall():
        cleaned = {lang: LINK_BLOCK.sub("", html or "") for lang, html in (body or {}).items()}
        if cleaned != body:
            cr.execute(
                "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                (json.dumps(cleaned), template_id),
            )
