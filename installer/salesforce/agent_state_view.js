/**
 * agent_state_view.js — the agent's availability in the panel: ready, not ready with one of
 * the adapter's reasons, or wrap-up (which only the adapter sets, after an answered call, and
 * which counts down until it ends by itself). The same states as the adapter's own page.
 */

const LABELS = { ready: 'Ready', not_ready: 'Not ready', wrap_up: 'Wrap-up' };

/** The select's value for a state: `ready`, `not_ready:REASON` or `wrap_up`. */
function valueOf(agent) {
  if (!agent) return '';
  return agent.state === 'not_ready' ? `not_ready:${agent.reason || ''}` : agent.state;
}

export class AgentStateView {
  /**
   * @param {{root: HTMLElement, select: HTMLSelectElement, countdown: HTMLElement}} elements
   * @param {{onChange: (state: string, reason?: string) => Promise<unknown>}} hooks
   */
  constructor(elements, hooks) {
    this._root = elements.root;
    this._select = elements.select;
    this._countdown = elements.countdown;
    this._reasons = null;
    this._agent = null;
    this._select.addEventListener('change', () => {
      const [state, ...reason] = this._select.value.split(':');
      hooks.onChange(state, state === 'not_ready' ? reason.join(':') : undefined).finally(() => this.render(this._agent, this._reasons, true));
    });
    setInterval(() => this._tick(), 1000);
  }

  /** Shows `agent` (null: unknown) with `reasons` for not ready; `enabled` while connected. */
  render(agent, reasons, enabled) {
    this._agent = agent;
    if (JSON.stringify(reasons) !== JSON.stringify(this._reasons)) {
      this._reasons = [...reasons];
      const option = (value, label, disabled = false) => Object.assign(document.createElement('option'), { value, textContent: label, disabled });
      this._select.replaceChildren(
        option('ready', LABELS.ready),
        ...reasons.map((reason) => option(`not_ready:${reason}`, `Not ready – ${reason}`)),
        option('wrap_up', LABELS.wrap_up, true),
      );
    }
    const value = valueOf(agent);
    if (value && ![...this._select.options].some((o) => o.value === value)) {
      // A reason the adapter no longer offers: shown, not choosable.
      this._select.append(Object.assign(document.createElement('option'), {
        value, textContent: agent.reason ? `Not ready – ${agent.reason}` : LABELS.not_ready, disabled: true,
      }));
    }
    this._select.value = value;
    this._select.disabled = !agent || !enabled;
    this._root.dataset.state = agent ? agent.state : 'unknown';
    this._tick();
  }

  _tick() {
    const ends = this._agent && this._agent.state === 'wrap_up' ? Date.parse(this._agent.wrap_up_ends_at) : NaN;
    this._countdown.hidden = Number.isNaN(ends);
    if (Number.isNaN(ends)) return;
    const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
    this._countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`;
  }
}
