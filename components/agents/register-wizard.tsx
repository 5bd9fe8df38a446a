"use client";
// Register an agent in three steps: name it, create its first token, copy the token and the install
// commands, and watch it connect (the list below updates on its own too). The first step also asks which
// way the connection goes: the agent dials Tether (ordinary), or Tether dials the agent (receptive: the
// last step then leads to the agent's Receptive tab for its URL and key).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useJsonForm } from "@/components/ui/use-json-form";
import { agentKeys, type CreatedToken } from "./api";
import { CreateTokenForm } from "./token-form";
import { AgentTokenReveal } from "./token-reveal";
import { WaitForAgent } from "./wait-for-agent";

interface Registered {
  id: string;
  name: string;
  href: string;
}

const STEPS = ["Name the agent", "Create a token", "Install it"] as const;

function StepHeading({ step, text }: { step: number; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (step > 0) ref.current?.focus();
  }, [step]);
  return (
    <h3 ref={ref} tabIndex={-1} className="text-base font-semibold focus:outline-none">
      Step {step + 1} of {STEPS.length}: {text}
    </h3>
  );
}

export function RegisterAgentWizard({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [agent, setAgent] = useState<Registered | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [receptive, setReceptive] = useState(false);
  const form = useJsonForm<{ agent: Registered }>(`/api/projects/${encodeURIComponent(projectId)}/agents`, (d) => {
    void queryClient.invalidateQueries({ queryKey: agentKeys.project(projectId) });
    setAgent(d.agent);
  });
  const step = created ? 2 : agent ? 1 : 0;

  return (
    <section
      aria-label="Register an agent"
      className="mb-8 space-y-4 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800"
    >
      <ol className="flex flex-wrap gap-4 text-xs text-zinc-500" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={i === step ? "step" : undefined}
            className={i === step ? "font-semibold text-indigo-600 dark:text-indigo-400" : ""}
          >
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <StepHeading step={step} text={STEPS[step]!} />

      {step === 0 ? (
        <fieldset className="max-w-lg space-y-2">
          <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">How will they connect?</legend>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="connection-direction"
              className="mt-1"
              checked={!receptive}
              onChange={() => setReceptive(false)}
            />
            <span>My cluster can reach Tether: the agent connects to Tether.</span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="connection-direction"
              className="mt-1"
              checked={receptive}
              onChange={() => setReceptive(true)}
            />
            <span>Tether can reach my cluster: Tether connects to the agent (a receptive agent).</span>
          </label>
        </fieldset>
      ) : null}

      {step === 0 ? (
        <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate>
          <FormError message={form.formError} />
          <Field
            label="Agent name"
            id="agent-name"
            name="name"
            required
            autoFocus
            autoComplete="off"
            error={form.fieldError("name")}
            hint="Lower-case letters, digits and '-', at most 63 characters (a Kubernetes DNS label), e.g. production-eu."
          />
          <div className="flex gap-3">
            <Button type="submit" disabled={form.pending}>
              {form.pending ? "Registering…" : "Register agent"}
            </Button>
            <Button type="button" variant="secondary" onClick={onClose}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}

      {step === 1 && agent ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Agent <strong>{agent.name}</strong> is registered. It connects with a token: create one now (you can also do
            it later from the agent&apos;s Tokens tab).
          </p>
          <CreateTokenForm
            agentId={agent.id}
            defaultName={agent.name}
            onCreated={setCreated}
            onCancel={onClose}
            cancelLabel="Later"
          />
        </>
      ) : null}

      {step === 2 && agent && created ? (
        <AgentTokenReveal created={created} agentName={agent.name} onDone={onClose} receptive={receptive}>
          {receptive ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Tether connects to this agent: add the agent&apos;s URL (where kas reaches the Service above) and the CA
              of its certificate on its{" "}
              <a href={`${agent.href}/receptive`} className="text-indigo-600 underline dark:text-indigo-400">
                Receptive tab
              </a>
              . The tab then shows the public key the commands above read (<code>receptive.jwtPublicKey</code>) and
              whether Tether reaches the agent.
            </p>
          ) : (
            <WaitForAgent
              agentId={agent.id}
              kasAddress={created.install.kasAddress}
              logsCommand={created.install.logs}
            />
          )}
        </AgentTokenReveal>
      ) : null}
    </section>
  );
}
