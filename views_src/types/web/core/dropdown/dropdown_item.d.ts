// Typed facade of @web/core/dropdown/dropdown_item.
import { Component } from "@odoo/owl";
export class DropdownItem extends Component {}
