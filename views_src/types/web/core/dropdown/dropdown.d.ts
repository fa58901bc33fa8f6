// Typed facade of @web/core/dropdown/dropdown.
import { Component } from "@odoo/owl";
export class Dropdown extends Component {}
