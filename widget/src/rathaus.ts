import { LitElement, css, html } from "lit";

interface TenantConfig {
  name: string;
  officialName: string;
  branding: { primaryColor: string; accentColor: string };
}

/** The API lives where this script was loaded from, unless the page says otherwise. */
const scriptOrigin = new URL(import.meta.url).origin;

export class DigitalesRathaus extends LitElement {
  static override properties = {
    tenant: { type: String },
    api: { type: String },
    config: { state: true },
  };

  declare tenant: string;
  declare api: string | undefined;
  declare config: TenantConfig | undefined;

  static override styles = css`
    :host {
      all: initial;
      position: fixed;
      right: 16px;
      bottom: 16px;
      z-index: 2147483000;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    }
    button {
      all: unset;
      box-sizing: border-box;
      cursor: pointer;
      padding: 12px 18px;
      border-radius: 24px;
      font-size: 16px;
      line-height: 20px;
      font-weight: 600;
      color: #fff;
      background: var(--dr-primary, #1f4e79);
      box-shadow: 0 2px 8px rgba(0, 0, 0, 0.3);
    }
    button:focus-visible {
      outline: 3px solid #000;
      outline-offset: 2px;
      box-shadow: 0 0 0 6px #fff;
    }
  `;

  override connectedCallback() {
    super.connectedCallback();
    void this.loadConfig();
  }

  private async loadConfig() {
    if (!this.tenant) return;
    const res = await fetch(`${this.api ?? scriptOrigin}/api/v1/tenants/${encodeURIComponent(this.tenant)}`);
    if (!res.ok) return;
    this.config = (await res.json()) as TenantConfig;
    this.style.setProperty("--dr-primary", this.config.branding.primaryColor);
  }

  override render() {
    return html`<button part="launcher" type="button" title=${this.config?.officialName ?? ""}>Digitales Rathaus</button>`;
  }
}

if (!customElements.get("digitales-rathaus")) customElements.define("digitales-rathaus", DigitalesRathaus);
