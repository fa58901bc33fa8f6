// Typed facade of @web/core/dialog/dialog.
import { Component } from "@odoo/owl";
export class Dialog extends Component {}
