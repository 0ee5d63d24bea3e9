/**
 * softphone/agent_state_view.js — the agent's availability: ready, not ready with one of the
 * adapter's reasons, or wrap-up (which only the adapter sets, after an answered call, and
 * which counts down until it ends by itself).
 */

import { h, part } from './dom.js';
import { formatSeconds } from './format.js';

const AGENT_LABELS = { ready: 'Ready', not_ready: 'Not ready', wrap_up: 'Wrap-up' };

/** The select's value for a state: `ready`, `not_ready:REASON` or `wrap_up`. */
function agentValue(agent) {
  if (!agent) return '';
  return agent.state === 'not_ready' ? `not_ready:${agent.reason || ''}` : agent.state;
}

export class AgentStateView {
  /**
   * @param {HTMLElement} root  the agent section (data-testid agent-state)
   * @param {{onChange: (state: 'ready'|'not_ready', reason?: string) => Promise<unknown>}} hooks
   *   the agent chose a state; the view shows the adapter's state again once it settled
   */
  constructor(root, hooks) {
    this._root = root;
    this._select = part(root, 'agent-select');
    this._countdown = part(root, 'agent-countdown');
    this._agent = null;
    this._connected = false;
    this._select.addEventListener('change', () => {
      const [state, ...reason] = this._select.value.split(':');
      // No busy state on the select: disabling it would take the keyboard focus away.
      hooks.onChange(state === 'not_ready' ? 'not_ready' : 'ready', state === 'not_ready' ? reason.join(':') : undefined)
        .then(() => this.render(this._agent, this._connected));
    });
  }

  /** One option per state the agent can choose, plus wrap-up, which only the adapter sets. */
  setReasons(reasons) {
    this._select.replaceChildren(
      h('option', { value: 'ready' }, AGENT_LABELS.ready),
      ...reasons.map((reason) => h('option', { value: `not_ready:${reason}` }, `Not ready – ${reason}`)),
      h('option', { value: 'wrap_up', disabled: true }, AGENT_LABELS.wrap_up),
    );
  }

  /** Shows `agent` (null: not known yet); choosable only while `connected`. */
  render(agent, connected) {
    this._agent = agent;
    this._connected = connected;
    this._root.dataset.state = agent ? agent.state : 'unknown';
    this._root.dataset.reason = (agent && agent.reason) || '';
    const value = agentValue(agent);
    if (value && !this._select.querySelector(`option[value="${CSS.escape(value)}"]`)) {
      // A reason this page does not offer (the config changed, or none yet on a first start).
      const label = agent.reason ? `Not ready – ${agent.reason}` : AGENT_LABELS.not_ready;
      this._select.append(h('option', { value, disabled: true }, label));
    }
    this._select.value = value;
    this._select.disabled = !agent || !connected;
    this.tick();
  }

  /** Wrap-up time left as m:ss; hidden outside wrap-up. Called every second. */
  tick(nowMs = Date.now()) {
    const agent = this._agent;
    const ends = agent && agent.state === 'wrap_up' ? Date.parse(agent.wrap_up_ends_at) : NaN;
    this._countdown.hidden = Number.isNaN(ends);
    if (!Number.isNaN(ends)) {
      this._countdown.textContent = `${formatSeconds(Math.ceil((ends - nowMs) / 1000))} left`;
    }
  }
}
