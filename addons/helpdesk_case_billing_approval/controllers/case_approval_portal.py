# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

MODEL = "helpdesk.ticket.approval"


class CaseApprovalPortal(CustomerPortal):
    """The customer's page to approve or reject the time of a case."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "case_approval_count" in counters:
            Approval = request.env[MODEL]
            values["case_approval_count"] = (
                Approval.search_count([("state", "=", "sent")])
                if Approval.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/case-approvals"], type="http", auth="user", website=True)
    def portal_my_case_approvals(self, **kw):
        Approval = request.env[MODEL]
        if not Approval.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # The record rules keep them to the user's own customer.
                "approvals": Approval.search([], order="id desc", limit=200),
                "page_name": "case_approval",
            }
        )
        return request.render("helpdesk_case_billing_approval.portal_my_case_approvals", values)

    def _case_approval_time_zone(self, approval_sudo):
        """Dates in the customer's time zone for visitors who have none.

        A visitor who is not logged in has no time zone, so Odoo would print
        the decision and expiry dates in UTC.
        """
        if approval_sudo and not request.env.context.get("tz"):
            tz = approval_sudo.partner_id.tz or approval_sudo.company_id.partner_id.tz
            if tz:
                request.update_context(tz=tz)

    def _case_approval_error(self, reason, approval_sudo=None, status=404):
        """An error page that shows nothing of the request but its expiry."""
        self._case_approval_time_zone(approval_sudo)
        values = {
            "reason": reason,
            "approval": approval_sudo if reason == "expired" else None,
            "res_company": approval_sudo.company_id if approval_sudo else request.env.company,
            "no_breadcrumbs": True,
        }
        return request.render(
            "helpdesk_case_billing_approval.portal_case_approval_error", values, status=status
        )

    def _case_approval_access(self, approval_id, access_token, expire=False):
        """Return (request as sudo, None) or (None, error page).

        :param expire: mark a request found past its expiry date as expired
            (before the scheduled action does)
        """
        try:
            approval_sudo = self._document_check_access(MODEL, approval_id, access_token)
        except (AccessError, MissingError):
            return None, self._case_approval_error("invalid")
        if approval_sudo.state == "draft":
            # Not sent yet: nobody outside is meant to see it.
            return None, self._case_approval_error("invalid")
        if approval_sudo._is_expired():
            if expire:
                approval_sudo._expire()
            return None, self._case_approval_error("expired", approval_sudo, status=410)
        return approval_sudo, None

    def _case_approval_render(self, approval_sudo, access_token, **values):
        status = values.pop("status", 200)
        self._case_approval_time_zone(approval_sudo)
        values.update(
            {
                "approval": approval_sudo,
                "ticket": approval_sudo.ticket_id,
                "lines": approval_sudo.timesheet_ids.sorted(lambda line: (line.date, line.id)),
                # In the page's language: the visitor reads it in that one.
                "figures": approval_sudo._get_approval_figures(),
                "access_token": access_token,
                "res_company": approval_sudo.company_id,
                "page_name": "case_approval",
                "no_breadcrumbs": request.env.user._is_public(),
                "is_preview": not request.env.user.share,
            }
        )
        return request.render(
            "helpdesk_case_billing_approval.portal_case_approval_page", values, status=status
        )

    @http.route(
        ["/my/case-approval/<int:approval_id>"], type="http", auth="public", website=True
    )
    def portal_case_approval_page(self, approval_id, access_token=None, message=None, **kw):
        approval_sudo, error = self._case_approval_access(approval_id, access_token)
        if error:
            return error
        return self._case_approval_render(approval_sudo, access_token, message=message)

    @http.route(
        ["/my/case-approval/<int:approval_id>/decide"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_case_approval_decide(
        self, approval_id, access_token=None, decision=None, comment=None, **kw
    ):
        approval_sudo, error = self._case_approval_access(approval_id, access_token, expire=True)
        if error:
            return error
        user = request.env.user
        if not user.share:
            # Employees preview the page; the answer is the customer's.
            return self._case_approval_render(
                approval_sudo,
                access_token,
                error=request.env._("Only the customer can answer this request."),
                status=403,
            )
        author = approval_sudo.partner_id if user._is_public() else user.partner_id
        try:
            with request.env.cr.savepoint():
                approval_sudo._action_customer_decision(decision, comment, author)
        except UserError as error:
            return self._case_approval_render(
                approval_sudo, access_token, error=error.args[0], comment=comment, status=400
            )
        message = "approved" if decision == "approve" else "rejected"
        return request.redirect(
            approval_sudo.get_portal_url(query_string=f"&message={message}")
        )
