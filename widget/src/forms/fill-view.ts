/**
 * What a citizen sees of one form, phase by phase: introduction (fees, who may send it), the
 * steps with progress and error summary, the review with the e-mail address for anonymous
 * senders, and the confirmation with reference and receipt.
 */
import { html, nothing } from "lit";
import type { WidgetContext } from "../core/context.js";
import { coreTexts, formatDate } from "../core/i18n.js";
import { providerButtons } from "../identity/buttons.js";
import type { ProviderLogin } from "../identity/flow.js";
import { providersOf } from "../identity/start.js";
import { identityTexts } from "../identity/texts.js";
import { elevationIntent } from "../identity/trust.js";
import { isVerified } from "../views/shared/form.js";
import { fieldId, tx } from "./answers.js";
import { FieldRenderer, prose } from "./fields.js";
import { EMAIL_PATH, type FormFill } from "./fill.js";
import { reviewAnswers } from "./review.js";
import { formTexts } from "./texts.js";

const errorIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
</svg>`;

export interface FillActions {
  ctx: WidgetContext;
  /** Downloads the receipt of a signed-in sender; resolves when the download has started. */
  download(id: string, reference: string): Promise<void>;
  /** The login at the town's identity provider for a form that needs a trust level. */
  login: ProviderLogin;
}

export function fillView(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const def = fill.def;
  // One heading element throughout, so that focus on it survives the loading.
  return html`<button class="link back" type="button" @click=${() => a.ctx.navigate("forms")}>${t.back}</button>
    <h3 tabindex="-1">${def ? tx(def.title, fill.lang) : t.title}</h3>
    <p class="sr-only" role="status">${fill.announcement}</p>
    ${body(fill, a)}`;
}

function body(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  switch (fill.phase) {
    case "loading":
      return html`<p class="state">${t.loadingForm}</p>`;
    case "failed":
      return html`<div class="box" role="alert">
        <p>${fill.loadError}</p>
        <p><button class="btn" type="button" @click=${() => void fill.load()}>${t.retry}</button></p>
      </div>`;
    case "intro":
      return intro(fill, a);
    case "step":
      return step(fill, a);
    case "review":
      return review(fill, a);
    case "done":
      return done(fill, a);
  }
}

/** Why this citizen cannot send the form (yet), with the way forward; nothing when they can. */
function access(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const def = fill.def!;
  const { ctx } = a;
  const account = fill.host.state.account;
  if (fill.anonymous && !def.access.anonymous) {
    const notice = t.loginNotice(tx(def.title, fill.lang));
    return html`<div class="box">
      <p>${notice}</p>
      <p><button class="btn" type="button" @click=${() => ctx.detour("login", notice)}>${t.login}</button></p>
    </div>`;
  }
  const kinds = def.access.accountKinds;
  if (!fill.anonymous && account && kinds && !kinds.includes(account.kind)) {
    return html`<div class="box" role="alert"><p>${t.kindBlocked(kinds.map((k) => t.kinds[k]).join(fill.lang === "de" ? " oder " : " or "))}</p></div>`;
  }
  if (!fill.anonymous && account && !isVerified(account)) {
    return html`<div class="box">
      <p>${t.verifyFirst}</p>
      <p><button class="btn" type="button" @click=${() => ctx.detour("verify")}>${t.verifyButton}</button></p>
    </div>`;
  }
  return trust(fill, a);
}

/**
 * The form needs a login at the town's identity provider (Bürgerkonto) at a trust level: which,
 * and the providers' buttons. Signed in, the login links the provider to this account if needed.
 */
function trust(fill: FormFill, a: FillActions) {
  const need = fill.trustNeeded;
  if (!need) return nothing;
  const it = identityTexts[fill.lang];
  const { ctx } = a;
  const refused = fill.trustRefused !== undefined;
  const text = need.level ? (refused ? it.trustRequiredNow : it.trustRequired)(it.levels[need.level]) : (need.message ?? "");
  const opts = { returnTo: { view: "form" as const, param: fill.id }, ...(fill.anonymous ? {} : { intent: (provider: string) => elevationIntent(ctx, provider) }) };
  return html`<div class="box trust" tabindex="-1" role=${refused ? "alert" : nothing}>
    <p>${text}</p>
    ${providerButtons(a.login, providersOf(fill.host.state.config), fill.lang, opts)}
  </div>`;
}

function blocked(fill: FormFill): boolean {
  const def = fill.def!;
  const account = fill.host.state.account;
  const kinds = def.access.accountKinds;
  return (fill.anonymous && !def.access.anonymous) || (!fill.anonymous && !!account && !!kinds && !kinds.includes(account.kind));
}

function intro(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const def = fill.def!;
  return html`${def.summary ? html`<p class="intro">${tx(def.summary, fill.lang)}</p>` : nothing} ${prose(def.intro, fill.lang)}
    ${def.fees
      ? html`<section class="box fees" aria-labelledby="fees-title">
          <h4 id="fees-title">${t.fees}</h4>
          ${prose(def.fees, fill.lang)}
        </section>`
      : nothing}
    ${access(fill, a)}
    ${blocked(fill) ? nothing : html`<p class="actions"><button class="btn" type="button" @click=${() => fill.start()}>${t.start}</button></p>`}`;
}

function notices(fill: FormFill) {
  const t = formTexts[fill.lang];
  const draft = fill.resumed;
  if (draft?.outdated) return html`<div class="box warn"><p>${t.outdated}</p></div>`;
  if (draft && !fill.moved) return html`<div class="box"><p>${t.resumed(formatDate(draft.updatedAt, fill.lang))}</p></div>`;
  return nothing;
}

function summary(fill: FormFill) {
  const t = formTexts[fill.lang];
  const paths = (fill.summary ?? []).filter((p) => fill.error(p));
  if (!paths.length) return nothing;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
    <h4 id="error-summary-title">${t.summaryTitle}</h4>
    <ul>
      ${paths.map((p) => {
        const label = p === EMAIL_PATH ? "" : fill.label(p);
        const message = fill.error(p)!.message[fill.lang];
        return html`<li>
          <a
            href="#${fieldId(p)}"
            @click=${(e: Event) => {
              // In a shadow root the fragment would find nothing and change the page's address.
              e.preventDefault();
              void fill.focusPath(p);
            }}
            >${label ? `${label}: ` : ""}${message}</a
          >
        </li>`;
      })}
    </ul>
  </div>`;
}

function draftStatus(fill: FormFill) {
  if (fill.anonymous || fill.draft.status === "off") return nothing;
  const t = formTexts[fill.lang];
  const d = fill.draft;
  const text =
    d.status === "saved" && d.savedAt
      ? t.draftSaved(d.savedAt.toLocaleTimeString(fill.lang === "de" ? "de-DE" : "en-GB", { hour: "2-digit", minute: "2-digit" }))
      : d.status === "failed"
        ? t.draftFailed
        : "";
  return html`<p class="draft-status" role="status">${text}</p>`;
}

function step(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const def = fill.def!;
  const visible = fill.visibleSteps();
  const at = visible.indexOf(fill.step);
  const current = def.steps[fill.step]!;
  const first = at <= 0 && !def.intro && !def.fees;
  const renderer = new FieldRenderer(fill);
  return html`${notices(fill)} ${access(fill, a)} ${summary(fill)}
    <form novalidate @submit=${(e: Event) => (e.preventDefault(), fill.next())} @input=${fill.onInput} @change=${fill.onInput} @focusout=${fill.onFocusOut}>
      <h4 class="step-title" tabindex="-1"><span class="progress">${t.step(at + 1, visible.length)}</span> ${tx(current.title, fill.lang)}</h4>
      ${renderer.items(current.items)}
      <div class="actions nav-buttons">
        <button class="btn" type="submit">${fill.fromReview ? t.toReview : t.next}</button>
        ${first ? nothing : html`<button class="btn secondary" type="button" @click=${() => fill.back()}>${t.previous}</button>`}
      </div>
    </form>
    ${draftStatus(fill)}`;
}

function review(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const error = fill.errors.get(EMAIL_PATH)?.message[fill.lang];
  const id = fieldId(EMAIL_PATH);
  const account = fill.host.state.account;
  const proof = { idle: "", solving: t.proofSolving, ready: t.proofReady, failed: t.proofFailed }[fill.proofState];
  const sendError = fill.sendError;
  return html`${notices(fill)} ${access(fill, a)} ${summary(fill)}
    <h4 class="step-title" tabindex="-1">${t.reviewTitle}</h4>
    <p>${t.reviewIntro}</p>
    ${reviewAnswers(fill)}
    <form class="send" novalidate @submit=${(e: Event) => (e.preventDefault(), void fill.send())} @input=${fill.onInput} @focusout=${fill.onFocusOut}>
      ${fill.anonymous
        ? html`<div class="field" data-field=${EMAIL_PATH}>
              <label for=${id}>${t.email}</label>
              <p class="hint" id="${id}-hint">${t.emailHint}</p>
              ${error ? html`<p class="error" id="${id}-error">${errorIcon}<span>${error}</span></p>` : nothing}
              <input
                id=${id}
                data-path=${EMAIL_PATH}
                type="email"
                autocomplete="email"
                spellcheck="false"
                required
                aria-invalid=${error ? "true" : "false"}
                aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}"
                .value=${fill.email}
              />
            </div>
            <p class="proof" role="status">${proof ? html`<span class="dot ${fill.proofState}" aria-hidden="true"></span>${proof}` : nothing}</p>`
        : account
          ? html`<p>${t.sendsAs(account.email)}</p>`
          : nothing}
      <div class="send-error" role="alert" tabindex="-1">${sendError
          ? html`<p>${sendError.message}</p>${sendError.verify
                ? html`<p><button class="btn" type="button" @click=${() => a.ctx.detour("verify")}>${t.verifyButton}</button></p>`
                : nothing}`
          : nothing}</div>
      <div class="actions nav-buttons">
        ${blocked(fill)
          ? nothing
          : html`<button class="btn" type="submit" aria-disabled=${fill.sending ? "true" : "false"}>
              ${fill.sending ? t.sending : sendError?.retry ? coreTexts[fill.lang].retry : t.send}
            </button>`}
        <button class="btn secondary" type="button" @click=${() => fill.back()}>${t.previous}</button>
      </div>
    </form>`;
}

function done(fill: FormFill, a: FillActions) {
  const t = formTexts[fill.lang];
  const receipt = fill.receipt!;
  const def = fill.def!;
  const url = new URL(receipt.receiptUrl, a.ctx.api.tenantUrl + "/").href;
  return html`<div class="done">
    <div class="confirmation">
      <h4 tabindex="-1">${t.doneTitle}</h4>
      <p>${t.reference}: <strong class="ref">${receipt.reference}</strong></p>
    </div>
    <p>${t.doneMail}</p>
    <p>
      ${fill.anonymous
        ? html`<a href=${url} target="_blank" rel="noopener">${t.receipt}<span class="sr-only"> ${t.newWindow}</span></a>`
        : html`<button class="link" type="button" @click=${() => void a.download(receipt.id, receipt.reference)}>${t.receipt}</button>`}
    </p>
    ${def.afterSubmit
      ? html`<section aria-labelledby="after-title">
          <h5 id="after-title">${t.whatNext}</h5>
          ${prose(def.afterSubmit, fill.lang)}
        </section>`
      : nothing}
    <p class="actions">
      <button class="link" type="button" @click=${() => a.ctx.navigate("forms")}>${t.toList}</button>
      ${fill.anonymous ? nothing : html`<button class="link" type="button" @click=${() => a.ctx.navigate("submissions")}>${t.toMine}</button>`}
    </p>
  </div>`;
}
