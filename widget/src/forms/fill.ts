/**
 * One citizen filling in one form: the answers, the current step, the errors on show, draft
 * autosave, uploads, the proof of work and the sending. Rendering is in ./fill-view.ts; this
 * holds the state and asks its host (the view) to render again when it changes.
 */
import { ApiError, NetworkError } from "../core/api.js";
import type { WidgetContext, WidgetState } from "../core/context.js";
import { coreTexts } from "../core/i18n.js";
import type { Account, Answers, Draft, Field, FileField, FormDefinition, Lang, RuleError, SubmissionReceipt } from "../core/types.js";
import { itemAt, parseDecimal, prefillData, validateField, validateForm, validateStep, visibleSteps } from "../../../server/forms/rules/index.js";
import { type TrustLevel, atLeast, forgetTrust, knownTrust, rememberTrust, requiredTrustOf } from "../identity/trust.js";
import { identityTexts } from "../identity/texts.js";
import { addMinimumEntries, fieldId, getAt, setAt, today, tx, uuid } from "./answers.js";
import { DraftSaver } from "./draft.js";
import { isProofProblem, solvedProof } from "./proof.js";
import { formTexts } from "./texts.js";
import { Uploads } from "./uploads.js";

export interface FillHost {
  ctx: WidgetContext;
  state: WidgetState;
  renderRoot: HTMLElement | DocumentFragment;
  updateComplete: Promise<boolean>;
  requestUpdate(): void;
}

export type Phase = "loading" | "failed" | "intro" | "step" | "review" | "done";

/** An error on show: the rules' own, or the server's and the uploads' (already in one language). */
export type Problem = Pick<RuleError, "path" | "message">;

/** The e-mail address an anonymous sender gives on the review page; `_` keeps it apart from form ids. */
export const EMAIL_PATH = "_email";

const EMAIL = /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]{2,}$/;

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export class FormFill {
  phase: Phase = "loading";
  loadError = "";
  def: FormDefinition | undefined;
  data: Answers = {};
  /** Index into `def.steps`. */
  step = 0;
  /** Errors on show, by path. */
  readonly errors = new Map<string, Problem>();
  /** Paths listed in the error summary of the current step (or the review), in order; null: none shown. */
  summary: string[] | null = null;
  /** What the citizen typed into number and IBAN fields, shown as typed until they leave the field with a valid answer. */
  readonly raw = new Map<string, string>();
  /** A message for screen readers (polite live region). */
  announcement = "";
  resumed: Draft | undefined;
  email = "";
  proofState: "idle" | "solving" | "ready" | "failed" = "idle";
  sending = false;
  sendError: { message: string; retry?: boolean; verify?: boolean } | undefined;
  /** The server refused for want of a login at a provider (`403 trust_level_required`): the level if it said, and its sentence. */
  trustRefused: { level: TrustLevel | undefined; message: string } | undefined;
  receipt: SubmissionReceipt | undefined;
  /** Came to a step by "Ändern" (or from errors found when sending): "Weiter" leads back to the review. */
  fromReview = false;
  /** The citizen has gone to another step since the form opened (the draft notice has been read). */
  moved = false;

  readonly uploads: Uploads;
  readonly draft: DraftSaver;
  private readonly dirty = new Set<string>();
  /** The error last read out per field, so that leaving a field says only what is new. */
  private readonly spoken = new Map<string, string>();
  private proof: Promise<string> | undefined;
  private sendKey: string | undefined;

  constructor(
    public host: FillHost,
    readonly id: string,
  ) {
    this.uploads = new Uploads(() => this.host.ctx.api, id, this.changed);
    this.draft = new DraftSaver(() => this.host.ctx.api.send("PUT", this.path("draft"), { data: this.data, version: this.def!.version }, true), this.changed);
  }

  readonly changed = () => this.host.requestUpdate();

  get lang(): Lang {
    return this.host.state.lang;
  }

  private get t() {
    return formTexts[this.lang];
  }

  /** Sending without an account: e-mail address and proof of work instead. */
  get anonymous(): boolean {
    return !this.host.state.signedIn;
  }

  private get rules() {
    return { today: today() };
  }

  private path(sub: string) {
    return `forms/${encodeURIComponent(this.id)}/${sub}`;
  }

  // ---- loading ----

  async load() {
    const { ctx } = this.host;
    this.phase = "loading";
    this.changed();
    try {
      const def = await ctx.api.get<FormDefinition>(`forms/${encodeURIComponent(this.id)}`);
      this.def = def;
      if (this.anonymous && !def.access.anonymous) {
        this.phase = "intro";
        const { view, param } = this.host.state;
        // Unless the visitor has moved on meanwhile.
        const level = requiredTrustOf(def);
        const notice = level ? identityTexts[this.lang].trustRequired(identityTexts[this.lang].levels[level]) : this.t.loginNotice(tx(def.title, this.lang));
        if (view === "form" && param === this.id) ctx.detour("login", notice);
        return;
      }
      // Drafts are kept for accounts only. The account also tells whether it may send (verified, kind).
      if (this.anonymous) this.draft.status = "off";
      const [draft, account] = this.anonymous ? [] : await Promise.all([this.loadDraft(), this.loadAccount()]);
      if (draft) {
        this.data = draft.data;
        for (const u of draft.uploads) this.uploads.names.set(u.id, u.name);
        this.resumed = draft;
        this.announce(draft.outdated ? this.t.outdated : this.t.resumed(new Date(draft.updatedAt).toLocaleDateString(this.lang === "de" ? "de-DE" : "en-GB")));
      } else {
        this.data = account ? prefillData(def, account) : {};
      }
      for (const step of def.steps) addMinimumEntries(step.items, this.data);
      this.step = visibleSteps(def, this.data)[0] ?? 0;
      this.phase = !draft && (def.intro || def.fees) ? "intro" : "step";
    } catch (e) {
      this.loadError = e instanceof ApiError && e.status === 404 ? this.t.gone : (e as Error).message;
      this.phase = "failed";
    } finally {
      this.changed();
    }
  }

  private async loadDraft(): Promise<Draft | undefined> {
    try {
      return await this.host.ctx.api.get<Draft>(this.path("draft"), { auth: true });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status >= 500) throw e;
      // 404: none yet. 403: an account that may not keep drafts (not verified, or not logged in at the form's trust level): no autosave.
      if (e.status === 403) this.draft.status = "off";
      if (e.code === "trust_level_required") this.refusedForTrust(e);
      return undefined;
    }
  }

  private async loadAccount(): Promise<Account | undefined> {
    const { ctx, state } = this.host;
    // A form that needs a trust level asks how sure the session's login was (after a reload this page has not seen it).
    const level = requiredTrustOf(this.def);
    if (state.account && (!level || knownTrust(ctx.api.tenantUrl, state.account.id))) return state.account;
    try {
      const { account, trustLevel } = await ctx.api.get<{ account: Account; trustLevel: TrustLevel | null }>("me", { auth: true });
      ctx.setAccount(account);
      if (trustLevel) rememberTrust(ctx.api.tenantUrl, account.id, trustLevel);
      return account;
    } catch {
      // Without it only the prefill is missing; the citizen types the answers.
      return undefined;
    }
  }

  // ---- moving between steps ----

  visibleSteps(): number[] {
    return this.def ? visibleSteps(this.def, this.data) : [];
  }

  start() {
    this.goTo(this.visibleSteps()[0] ?? 0);
  }

  next() {
    const def = this.def!;
    if (this.uploads.busy()) return this.announce(this.t.waitUploads);
    const problems = validateStep(def, this.step, this.data, this.rules);
    if (problems.length) return this.showProblems(problems);
    this.summary = null;
    void this.draft.flush();
    if (this.fromReview) {
      const all = this.problems();
      return all.length ? this.showProblems(all) : this.review();
    }
    const after = this.visibleSteps().find((i) => i > this.step);
    if (after === undefined) this.review();
    else this.goTo(after);
  }

  back() {
    const before = this.visibleSteps()
      .filter((i) => this.phase === "review" || i < this.step)
      .pop();
    this.summary = null;
    if (before !== undefined) this.goTo(before);
    else if (this.def?.intro || this.def?.fees) this.show("intro", "h3");
  }

  /** "Ändern" on the review page: to the answer's step, focus on the answer. */
  change(step: number, path: string) {
    this.fromReview = true;
    this.goTo(step, path);
  }

  review() {
    this.summary = null;
    this.fromReview = false;
    this.show("review", "h4.step-title");
    // The proof of work is solved while the citizen reads the answers.
    if (this.anonymous) this.solveProof().catch(() => undefined);
  }

  private goTo(step: number, focusPath?: string) {
    this.step = step;
    this.moved = true;
    this.show("step", focusPath ? undefined : "h4.step-title");
    if (focusPath) void this.focusPath(focusPath);
  }

  private show(phase: Phase, focus?: string) {
    this.phase = phase;
    this.changed();
    if (focus) void this.focus(focus);
  }

  /** After the next render, which this asks for (state may change before it without asking). */
  async focus(selector: string) {
    this.changed();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** The control of an answer: its own id, else the first control in its field (radios, groups, an address). */
  async focusPath(path: string) {
    this.changed();
    await this.host.updateComplete;
    const root = this.host.renderRoot;
    const target =
      root.querySelector<HTMLElement>(`#${CSS.escape(fieldId(path))}`) ??
      root.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"] :is(input, select, textarea, button)`);
    target?.focus();
  }

  // ---- errors ----

  /** The step (index into def.steps) holding an answer: answers of all steps share one namespace. */
  stepOf(path: string): number {
    const id = path.split(".")[0];
    return this.def?.steps.findIndex((s) => s.items.some((i) => i.id === id)) ?? -1;
  }

  /** The error on show for a field: its own, or one of its parts' (an address's postcode). */
  error(path: string): Problem | undefined {
    const own = this.errors.get(path);
    if (own) return own;
    for (const [p, e] of this.errors) if (p.startsWith(path + ".") && !/\.\d+(\.|$)/.test(p.slice(path.length))) return e;
    return undefined;
  }

  /**
   * Every problem of the form that the citizen can fix. Answers the form no longer has (a draft
   * of an older version) are `unknown_field`: left out of what is sent, so no problem.
   */
  private problems(): RuleError[] {
    return validateForm(this.def!, this.data, this.rules).errors.filter((e) => e.code !== "unknown_field" && this.stepOf(e.path) !== -1);
  }

  /** Errors found when going on or sending: on show at their fields, listed in the summary, which gets focus. */
  showProblems(all: Problem[]) {
    // Only what the citizen can fix here: answers of a form that has changed since are dropped anyway.
    const problems = all.filter((e) => e.path === EMAIL_PATH || this.stepOf(e.path) !== -1);
    if (!problems.length) return;
    const step = problems[0]!.path === EMAIL_PATH ? -1 : this.stepOf(problems[0]!.path);
    for (const [p] of this.errors) if (this.stepOf(p) === step) this.errors.delete(p);
    const here = problems.filter((e) => (step === -1 ? e.path === EMAIL_PATH : this.stepOf(e.path) === step));
    for (const e of here) {
      this.errors.set(e.path, e);
      // The summary (an alert) reads them out.
      this.spoken.set(e.path, e.message[this.lang]);
    }
    this.summary = here.map((e) => e.path);
    if (step !== -1 && (this.phase !== "step" || this.step !== step)) {
      // Found when sending: the step with the first problem, and back to the review from there.
      this.fromReview = true;
      this.step = step;
      this.phase = "step";
    }
    this.changed();
    void this.focus(".error-summary");
  }

  /** Checks one answer again and puts its error on show (or takes it away); announces a new one. */
  private recheck(path: string, announce: boolean) {
    if (path === EMAIL_PATH) return this.recheckEmail(announce);
    for (const p of [...this.errors.keys()]) if (p === path || (p.startsWith(path + ".") && !/\.\d+(\.|$)/.test(p.slice(path.length)))) this.errors.delete(p);
    const problem = validateField(this.def!, path, this.data, this.rules);
    if (problem) this.errors.set(problem.path, problem);
    this.speak(path, problem?.message[this.lang], announce, this.label(path));
  }

  /** Reads out a field's error when the field is left, unless that was said already; while typing, nothing. */
  private speak(path: string, message: string | undefined, announce: boolean, label = "") {
    if (!message) this.spoken.delete(path);
    else if (announce && this.spoken.get(path) !== message) {
      this.spoken.set(path, message);
      this.announce(label ? `${label}: ${message}` : message);
    }
  }

  /** An answer's name for messages out of context: "Hund 2 – Rasse", "Anschrift". */
  label(path: string): string {
    const segs = path.split(".");
    const parts: string[] = [];
    let field = "";
    for (let i = 0; i < segs.length; i++) {
      const item = itemAt(this.def!, segs.slice(0, i + 1).join("."))?.item;
      if (!item || item.type === "hint") continue;
      if (item.type === "group" && item.repeat && i + 1 < segs.length) {
        i++;
        parts.push(formTexts[this.lang].entry(tx(item.repeat.itemLabel ?? item.label, this.lang), Number(segs[i]) + 1));
      } else if (item.type !== "group" || i === segs.length - 1) {
        field = tx(item.label, this.lang);
      }
    }
    return [...parts, field].filter(Boolean).join(" – ");
  }

  private recheckEmail(announce: boolean) {
    const problem = this.emailProblem();
    if (problem) this.errors.set(EMAIL_PATH, problem);
    else this.errors.delete(EMAIL_PATH);
    this.speak(EMAIL_PATH, problem?.message[this.lang], announce);
  }

  private emailProblem(): Problem | undefined {
    const email = this.email.trim();
    if (EMAIL.test(email) && email.length <= 254) return undefined;
    const [de, en] = email ? [formTexts.de.emailInvalid, formTexts.en.emailInvalid] : [formTexts.de.emailRequired, formTexts.en.emailRequired];
    return { path: EMAIL_PATH, message: { de, en } };
  }

  announce(text: string) {
    // The same text again would not be read out: a live region only speaks changes.
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
    this.changed();
  }

  // ---- answers from the controls (events delegated from the step's form) ----

  readonly onInput = (e: Event) => {
    const el = e.target as Control;
    const path = el.dataset.path;
    if (!path) return;
    if (path === EMAIL_PATH) {
      this.email = el.value;
      this.dirty.add(path);
      this.sendKey = undefined;
      if (this.errors.has(path)) this.recheckEmail(false);
      return this.changed();
    }
    const field = itemAt(this.def!, path)?.item;
    if (!field || field.type === "group" || field.type === "hint") return;
    if (field.type === "file") {
      if (e.type === "change") this.pickFiles(path, field, el as HTMLInputElement);
      return;
    }
    this.setAnswer(path, this.valueOf(field, path, el));
  };

  readonly onFocusOut = (e: FocusEvent) => {
    const wrapper = (e.target as Element).closest<HTMLElement>("[data-field]");
    const path = wrapper?.dataset.field;
    if (!wrapper || !path) return;
    // Between the radios of a group or the parts of an address the field is not left yet.
    if (e.relatedTarget instanceof Node && wrapper.contains(e.relatedTarget)) return;
    if (!this.dirty.has(path) && !this.error(path)) return;
    this.recheck(path, true);
    // A valid number or IBAN is shown the usual way once left: "12,50", "DE89 3704 …".
    if (this.raw.has(path) && !this.error(path)) this.raw.delete(path);
    this.changed();
  };

  private valueOf(f: Field, path: string, el: Control): unknown {
    const v = el.value;
    switch (f.type) {
      case "number":
      case "integer":
      case "amount":
        this.raw.set(path, v);
        // Not a number: kept as typed, so the rules say what is wrong with it.
        return v.trim() === "" ? undefined : (parseDecimal(v) ?? v);
      case "iban":
        this.raw.set(path, v);
        return v.replace(/\s+/g, "").toUpperCase() || undefined;
      case "yesno":
        return v === "yes";
      case "consent":
        return (el as HTMLInputElement).checked;
      case "multichoice": {
        const boxes = el.closest("fieldset")?.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked") ?? [];
        return [...boxes].map((b) => b.value);
      }
      case "address": {
        const part = el.dataset.part!;
        const old = getAt(this.data, path);
        const address = { ...(old && typeof old === "object" ? old : {}), [part]: v } as Record<string, string>;
        return Object.values(address).some((x) => x.trim()) ? address : undefined;
      }
      default:
        return v === "" ? undefined : v;
    }
  }

  setAnswer(path: string, value: unknown) {
    setAt(this.data, path, value);
    this.dirty.add(path);
    // Changed answers are a new attempt to send.
    this.sendKey = undefined;
    if (this.error(path)) this.recheck(path, false);
    this.draft.schedule();
    this.changed();
  }

  // ---- repeated groups ----

  addEntry(path: string, entryLabel: string) {
    const list = getAt(this.data, path);
    const entries = Array.isArray(list) ? [...(list as Answers[])] : [];
    const group = itemAt(this.def!, path)?.item;
    const entry: Answers = {};
    if (group?.type === "group") addMinimumEntries(group.items, entry);
    entries.push(entry);
    this.setAnswer(path, entries);
    this.announce(this.t.added(entryLabel));
    void this.focusPath(`${path}.${entries.length - 1}`);
  }

  removeEntry(path: string, index: number, entryLabel: string) {
    const list = getAt(this.data, path);
    const entries = Array.isArray(list) ? (list as Answers[]).filter((_, i) => i !== index) : [];
    // Entries behind it move up: what was on show for them is by the old index.
    for (const map of [this.errors, this.raw]) for (const p of [...map.keys()]) if (p.startsWith(path + ".")) map.delete(p);
    this.summary = this.summary?.filter((p) => !p.startsWith(path + ".")) ?? null;
    this.setAnswer(path, entries);
    this.announce(this.t.removed(entryLabel));
    void this.focus(`[data-field="${CSS.escape(path)}"] > legend`);
  }

  // ---- uploads ----

  private pickFiles(path: string, field: FileField, input: HTMLInputElement) {
    const files = [...(input.files ?? [])];
    // Empty again, so that choosing the same file after removing it is a change.
    input.value = "";
    if (!files.length) return;
    const have = (getAt(this.data, path) as string[] | undefined)?.length ?? 0;
    const busy = this.uploads.pending.get(path)?.length ?? 0;
    const max = field.maxFiles ?? 1;
    const problems: string[] = [];
    if (have + busy + files.length > max) problems.push(this.t.fileTooMany(max));
    for (const file of files.slice(0, Math.max(0, max - have - busy))) {
      const refused = this.uploads.refuse(field, file, this.lang);
      if (refused) problems.push(refused);
      else void this.upload(path, file);
    }
    this.uploadProblem(path, problems.join(" "));
  }

  private uploadProblem(path: string, message: string) {
    if (!message) return;
    this.errors.set(path, { path, message: { de: message, en: message } });
    this.announce(message);
  }

  private async upload(path: string, file: File) {
    this.announce(this.t.fileSending(file.name));
    try {
      const upload = await this.uploads.send(path, file, this.anonymous);
      const ids = (getAt(this.data, path) as string[] | undefined) ?? [];
      this.errors.delete(path);
      this.setAnswer(path, [...ids, upload.id]);
      this.announce(this.t.fileDone(upload.name));
    } catch (e) {
      this.uploadProblem(path, e instanceof Error && e.message ? e.message : coreTexts[this.lang].unavailable);
    }
  }

  removeFile(path: string, id: string) {
    const name = this.uploads.names.get(id) ?? this.t.fileUploaded;
    this.uploads.remove(id, this.anonymous);
    const ids = ((getAt(this.data, path) as string[] | undefined) ?? []).filter((x) => x !== id);
    this.setAnswer(path, ids.length ? ids : undefined);
    this.announce(this.t.fileRemoved(name));
    void this.focusPath(path);
  }

  // ---- sending ----

  private solveProof(): Promise<string> {
    if (this.proof) return this.proof;
    this.proofState = "solving";
    this.changed();
    const proof = solvedProof(this.host.ctx.api, "submission").then(
      (payload) => {
        this.proofState = "ready";
        this.changed();
        return payload;
      },
      (e: unknown) => {
        this.proof = undefined;
        this.proofState = "failed";
        this.changed();
        throw e;
      },
    );
    this.proof = proof;
    return proof;
  }

  async send() {
    const def = this.def!;
    if (this.sending) return;
    if (this.uploads.busy()) return this.announce(this.t.waitUploads);
    const problems = this.problems();
    if (problems.length) return this.showProblems(problems);
    const checked = validateForm(def, this.data, this.rules);
    if (this.anonymous) {
      const problem = this.emailProblem();
      if (problem) return this.showProblems([problem]);
    }
    this.sending = true;
    this.sendError = undefined;
    this.changed();
    const anonymous = this.anonymous;
    try {
      this.receipt = await this.post(checked.data as Answers, anonymous).catch(async (e: unknown) => {
        if (!(anonymous && isProofProblem(e))) throw e;
        // An expired or used proof: once more with a fresh one (and a fresh key: the server answered).
        this.sendKey = undefined;
        return this.post(checked.data as Answers, anonymous);
      });
      this.sendKey = undefined;
      this.phase = "done";
      this.announcement = "";
      if (!anonymous) void this.deleteDraft();
      void this.focus(".done h4");
    } catch (e) {
      this.failed(e);
    } finally {
      this.sending = false;
      this.changed();
    }
  }

  private async post(data: Answers, anonymous: boolean): Promise<SubmissionReceipt> {
    const key = (this.sendKey ??= uuid());
    const proof = anonymous ? await this.solveProof() : undefined;
    // A proof is accepted once, whatever the answer: the next attempt solves a new one.
    this.proof = undefined;
    try {
      return await this.host.ctx.api.request<SubmissionReceipt>("POST", this.path("submissions"), {
        body: { data, version: this.def!.version, ...(anonymous ? { email: this.email.trim(), proof, lang: this.lang } : {}) },
        auth: !anonymous,
        headers: { "Idempotency-Key": key },
      });
    } catch (e) {
      // Only when no answer came is the outcome unknown: then a retry must be the same attempt.
      if (!(e instanceof NetworkError)) this.sendKey = undefined;
      // The next attempt's proof, solved while the citizen reads what went wrong.
      if (anonymous) this.solveProof().catch(() => undefined);
      throw e;
    }
  }

  private failed(e: unknown) {
    if (e instanceof ApiError && e.code === "form_changed") return void this.reload();
    if (e instanceof ApiError && e.code === "trust_level_required") {
      this.refusedForTrust(e);
      return void this.focus(".trust");
    }
    if (e instanceof ApiError && e.code === "validation_failed") {
      const problems = Object.entries(e.fields)
        .map(([path, f]) => ({ path: path === "email" && this.stepOf(path) === -1 ? EMAIL_PATH : path, message: { de: f.message, en: f.message } }))
        .filter((p) => p.path === EMAIL_PATH || this.stepOf(p.path) !== -1)
        .sort((a, b) => +(a.path === EMAIL_PATH) - +(b.path === EMAIL_PATH));
      if (problems.length) return this.showProblems(problems);
    }
    const message = e instanceof Error && e.message ? e.message : coreTexts[this.lang].unavailable;
    this.sendError = {
      message,
      ...(e instanceof NetworkError ? { retry: true } : {}),
      ...(e instanceof ApiError && e.code === "verification_required" ? { verify: true } : {}),
    };
    void this.focus(".send-error");
  }

  // ---- trust level (a login at the town's identity provider) ----

  /**
   * Why the citizen should log in at a provider before sending, if they should: the server said
   * so, or the definition asks for a level this page has not seen them log in with.
   */
  get trustNeeded(): { level: TrustLevel | undefined; message?: string } | undefined {
    if (this.trustRefused) return this.trustRefused;
    const level = requiredTrustOf(this.def);
    if (!level || atLeast(knownTrust(this.host.ctx.api.tenantUrl, this.host.state.account?.id), level)) return undefined;
    return { level };
  }

  private refusedForTrust(e: ApiError) {
    forgetTrust(this.host.ctx.api.tenantUrl, this.host.state.account?.id);
    // The definition names the level; the error's own `requiredTrustLevel` is not kept by ApiError.
    this.trustRefused = { level: requiredTrustOf(this.def), message: e.message };
  }

  /**
   * Logged in at a provider from this form with `level`: false when that is still too low. Then
   * on where the citizen was, the answers kept: the send button on the review, else the step.
   */
  elevated(level: TrustLevel): boolean {
    const need = this.trustNeeded?.level;
    if (need && !atLeast(level, need)) return false;
    this.trustRefused = undefined;
    this.sendError = undefined;
    this.announce(identityTexts[this.lang].trustDone);
    const focus = { review: "form.send [type=submit]", intro: ".actions .btn", step: "h4.step-title" } as Partial<Record<Phase, string>>;
    const target = focus[this.phase];
    if (target) void this.focus(target);
    return true;
  }

  /**
   * The town changed the form while it was being filled in: the new definition, the answers
   * kept, and the citizen checks them again (the "outdated" notice, and any problems shown).
   */
  private async reload() {
    try {
      this.def = await this.host.ctx.api.get<FormDefinition>(`forms/${encodeURIComponent(this.id)}`, { fresh: true });
      this.resumed = { data: this.data, version: this.def.version, outdated: true, updatedAt: new Date().toISOString(), expiresAt: "", uploads: [] };
      for (const step of this.def.steps) addMinimumEntries(step.items, this.data);
      this.announce(this.t.outdated);
      const problems = this.problems();
      if (problems.length) this.showProblems(problems);
      else this.review();
      this.draft.schedule();
    } catch (e) {
      this.sendError = { message: e instanceof Error ? e.message : coreTexts[this.lang].unavailable, retry: true };
    }
  }

  private async deleteDraft() {
    await this.draft.stop();
    // The server deletes it too; this is for an autosave that raced the sending.
    await this.host.ctx.api.send("DELETE", this.path("draft"), undefined, true).catch(() => undefined);
  }

  /** Leaving the form: what is not saved yet is saved now. */
  leave() {
    if (this.phase !== "done" && !this.anonymous) void this.draft.flush();
  }
}
