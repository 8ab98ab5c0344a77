import { html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { StaffMember } from "../../../../server/office/api-types.js";
import { problemText } from "../api.js";
import { OfficeView } from "../context.js";
import { FormState, formValues } from "../forms.js";

/**
 * The town's staff (admins): one card per person with their departments, role and whether the
 * account is disabled, saved with `PATCH office/staff/{id}`.
 */
export class OfficeStaffView extends OfficeView {
  static override properties = {
    items: { state: true },
    loading: { state: true },
    failure: { state: true },
  };

  declare items: StaffMember[];
  declare loading: boolean;
  declare failure: string;

  private readonly forms = new Map<string, FormState>();
  private readonly inviteForm = new FormState(this, "invite", ["name", "email"]);

  constructor() {
    super();
    this.items = [];
    this.loading = true;
    this.failure = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.loading = true;
    this.failure = "";
    try {
      this.items = (await this.ctx.api.get<{ items: StaffMember[] }>("office/staff")).items;
    } catch (e) {
      this.failure = problemText(e, this.ctx.lang);
    } finally {
      this.loading = false;
    }
  }

  private form(id: string): FormState {
    let f = this.forms.get(id);
    if (!f) this.forms.set(id, (f = new FormState(this, `staff-${id}`)));
    return f;
  }

  private async save(e: SubmitEvent, member: StaffMember) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const departments = data.getAll("departments").filter((d): d is string => typeof d === "string");
    // Admins cannot take their own role or lock themselves out: those controls are not shown.
    const self = member.id === this.ctx.session.account.id;
    const patch = self ? { departments } : { departments, role: data.get("role") === "admin" ? "admin" : "staff", disabled: data.get("disabled") === "true" };
    await this.form(member.id).run(async () => {
      const saved = await this.ctx.api.send<StaffMember>("PATCH", `office/staff/${encodeURIComponent(member.id)}`, patch);
      this.items = this.items.map((m) => (m.id === saved.id ? saved : m));
      return this.ctx.t.staffView.saved(saved.name);
    });
  }

  private async invite(e: SubmitEvent) {
    e.preventDefault();
    const ts = this.ctx.t.staffView;
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    if (!this.inviteForm.check({ name: !v.name && ts.nameMissing, email: !v.email && ts.emailMissing })) return;
    const departments = new FormData(form).getAll("departments").filter((d): d is string => typeof d === "string");
    await this.inviteForm.run(async () => {
      const member = await this.ctx.api.send<StaffMember>("POST", "office/staff", { name: v.name, email: v.email, role: v.role === "admin" ? "admin" : "staff", departments });
      this.items = [...this.items, member];
      form.reset();
      return ts.invited(member.email);
    });
  }

  override render() {
    const t = this.ctx.t;
    const ts = t.staffView;
    return html`<h1 tabindex="-1">${ts.title}</h1>
      <p>${ts.intro}</p>
      ${this.renderInvite()}
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.loading
        ? html`<p role="status">${t.loading}</p>`
        : this.items.length === 0
          ? html`<p class="card">${ts.empty}</p>`
          : html`<ul class="staff">
              ${this.items.map((m) => html`<li>${this.renderMember(m)}</li>`)}
            </ul>`}`;
  }

  private renderInvite() {
    const ts = this.ctx.t.staffView;
    const f = this.inviteForm;
    return html`<section class="card invite" aria-labelledby="h-invite">
      <h2 id="h-invite">${ts.inviteHeading}</h2>
      <p class="muted">${ts.inviteIntro}</p>
      <form novalidate @submit=${this.invite}>
        ${f.status()} ${f.field({ name: "name", label: ts.name, autocomplete: "off", maxlength: 120 })}
        ${f.field({ name: "email", label: ts.email, type: "email", autocomplete: "off", inputmode: "email", maxlength: 254 })}
        <div class="field">
          <label for=${f.id("role")}>${ts.role}</label>
          <select id=${f.id("role")} name="role">
            <option value="staff" selected>${ts.roles.staff}</option>
            <option value="admin">${ts.roles.admin}</option>
          </select>
        </div>
        <fieldset>
          <legend>${ts.departments}</legend>
          ${this.ctx.session.town.departments.map(
            (d) => html`<label class="check"><input type="checkbox" name="departments" value=${d.id} /> ${this.ctx.departmentName(d.id)}</label>`,
          )}
        </fieldset>
        ${f.button(ts.invite)}
      </form>
    </section>`;
  }

  private renderMember(m: StaffMember) {
    const t = this.ctx.t;
    const ts = t.staffView;
    const f = this.form(m.id);
    const departments = this.ctx.session.town.departments;
    const self = m.id === this.ctx.session.account.id;
    return html`<article class="card" aria-labelledby=${`${f.prefix}-name`}>
      <h2 id=${`${f.prefix}-name`}>${m.name}</h2>
      <p class="muted">${m.email} · ${ts.roles[m.role]} · ${m.disabled ? ts.locked : ts.active}</p>
      <form novalidate @submit=${(e: SubmitEvent) => void this.save(e, m)}>
        ${f.status()}
        <fieldset>
          <legend>${ts.departments}</legend>
          ${departments.map(
            (d) => html`<label class="check"
              ><input type="checkbox" name="departments" value=${d.id} .checked=${m.departments.includes(d.id)} /> ${this.ctx.departmentName(d.id)}</label
            >`,
          )}
        </fieldset>
        ${self
          ? nothing
          : html`<div class="field">
                <label for=${f.id("role")}>${ts.role}</label>
                <select id=${f.id("role")} name="role">
                  <option value="staff" ?selected=${m.role === "staff"}>${ts.roles.staff}</option>
                  <option value="admin" ?selected=${m.role === "admin"}>${ts.roles.admin}</option>
                </select>
              </div>
              <div class="field">
                <label class="check"><input type="checkbox" name="disabled" value="true" .checked=${m.disabled} /> ${ts.disabled}</label>
              </div>`}
        ${f.button(ts.save)}
      </form>
    </article>`;
  }
}

define("office-staff", OfficeStaffView);
