/**
 * Kubernetes manifests for the planned image: a hardened Deployment per binary, and a separate debug
 * overlay (a sidecar variant sharing the process namespace with SYS_PTRACE, the pprof port, and the
 * ephemeral-container recipe). Objects are built as data and printed as YAML, so tests validate the
 * very objects against the Kubernetes OpenAPI schema.
 */
import { stringify } from 'yaml';
import type { Plan, PlanBinary } from '../project/plan.js';
import type { DockerfileSpec } from './dockerfile.js';

/**
 * BusyBox for `kubectl debug`: the version distroless `:debug` images ship (facts.md, distroless
 * snapshot 2026-08-21), pinned so the recipe does not drift with `busybox:latest`.
 */
export const DEBUG_BUSYBOX = {
  image: 'busybox:1.37.0',
  source: 'GoogleContainerTools/distroless debug images (BusyBox 1.37.0), snapshot 2026-08-21',
} as const;

type Obj = Record<string, unknown>;

export interface K8sOutput {
  deployments: Obj[];
  debugDeployments: Obj[];
  files: Array<{ path: string; content: string }>;
}

/** A DNS-1123 label (lowercase alphanumerics and `-`), as Kubernetes requires for object and container names. */
export function k8sName(binary: string): string {
  return (
    binary
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'app'
  );
}

function labels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

function hardenedContainer(name: string, image: string, spec: DockerfileSpec): Obj {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: spec.user.uid,
      runAsGroup: spec.user.gid,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function deployment(name: string, container: Obj, extraPod: Obj = {}, extraContainers: Obj[] = []): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: labels(name) },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          ...extraPod,
          containers: [container, ...extraContainers],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/**
 * Container ports and probes from what the plan read in the program: each literal listen port, and an
 * HTTP probe on the health path it serves, else a TCP probe on its first port; none without a port.
 */
function servingFields(b: PlanBinary | undefined): Obj {
  const ports = b?.serving.ports ?? [];
  if (!ports.length) return {};
  const out: Obj = { ports: ports.map((p, i) => ({ name: i === 0 ? 'http' : `port-${p.port}`, containerPort: p.port, protocol: 'TCP' })) };
  const first = ports[0]!.port;
  const h = b!.serving.health;
  const probe = h ? { httpGet: { path: h.path, port: first } } : { tcpSocket: { port: first } };
  out.readinessProbe = { ...probe, periodSeconds: 10 };
  out.livenessProbe = { ...probe, periodSeconds: 20, failureThreshold: 3 };
  return out;
}

/** Where each value came from, for the manifest's header comment. */
function servingSources(b: PlanBinary | undefined): string[] {
  if (!b) return [];
  const lines = b.serving.ports.map((p) => `# ${b.binary}: port ${p.port} from ${p.source}`);
  if (b.serving.ports.length)
    lines.push(
      b.serving.health
        ? `# ${b.binary}: probes GET ${b.serving.health.path} (${b.serving.health.source})`
        : `# ${b.binary}: no health path found; TCP probes on port ${b.serving.ports[0]!.port}`,
    );
  return lines;
}

export function renderK8s(plan: Plan, specs: DockerfileSpec[]): K8sOutput {
  const deployments: Obj[] = [];
  const debugDeployments: Obj[] = [];
  const sources: string[] = [];
  const all = specs.flatMap((spec) => spec.binaries.map((b) => ({ spec, b })));
  for (const { spec, b } of all.sort((x, y) => x.b.name.localeCompare(y.b.name))) {
    const image = `${b.stage ?? b.name.toLowerCase()}:dev`;
    const pb = plan.binaries.find((x) => x.binary === b.name && x.selected);
    sources.push(...servingSources(pb));
    // object and container names are DNS-1123 labels: node_exporter becomes node-exporter
    const name = k8sName(b.name);
    deployments.push(deployment(name, { ...hardenedContainer(name, image, spec), ...servingFields(pb) }));
    const app = hardenedContainer(name, image, spec);
    // the admin listener (pprof, expvar) binds localhost:6060; naming the port documents it for port-forward
    app.ports = [{ name: 'pprof', containerPort: 6060, protocol: 'TCP' }];
    const debugger_: Obj = {
      name: 'debug',
      image: plan.images.debian.builder,
      command: ['sleep', 'infinity'],
      securityContext: {
        // ptrace of another uid's process needs CAP_SYS_PTRACE; only this container gets it
        runAsUser: 0,
        runAsNonRoot: false,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['SYS_PTRACE'] },
      },
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '512Mi' } },
    };
    const dbg = deployment(`${name}-debug`, app, { shareProcessNamespace: true }, [debugger_]);
    (dbg.metadata as Obj).annotations = { 'gokiln.dev/purpose': 'debug overlay: never deploy to production' };
    debugDeployments.push(dbg);
  }
  const docs = (objs: Obj[]) => objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  const spec = specs[0]!;
  const first = k8sName(spec.binaries.find((b) => b.main)?.name ?? spec.binaries[0]?.name ?? 'app');
  const readme = `# Debugging ${plan.module ?? 'the service'} on Kubernetes

Written by gokiln init. The production Deployment (../deployment.yaml) runs as uid ${spec.user.uid} with a
read-only root file system, no privilege escalation and every capability dropped${spec.paradigm === 'distroless' ? ', on a distroless image without a shell' : ''}.

## 1. Ephemeral container (no redeploy)

    kubectl debug -it POD --image=${DEBUG_BUSYBOX.image} --target=${first}

\`--target\` joins the process namespace of the container \`${first}\`: \`ps\` shows its processes and
\`/proc/1/root\` is its file system. The busybox tag is pinned (${DEBUG_BUSYBOX.source}).

## 2. Sidecar variant (strace, gdb, dlv)

    kubectl apply -f deployment-debug.yaml

It runs the same image next to a \`debug\` container (${plan.images.debian.builder}) with
\`shareProcessNamespace: true\` and only that container granted \`SYS_PTRACE\`:

    kubectl exec -it deploy/${first}-debug -c debug -- sh
    apt-get update && apt-get install -y strace gdb && go install github.com/go-delve/delve/cmd/dlv@latest
    strace -f -p "$(pgrep -f ${first})"

## 3. Profiling

If the service starts the admin package (internal/admin, pprof and expvar on localhost:6060; \`gokiln init --pprof\`
writes it, \`--k8s\` alone adds no source files):

    kubectl port-forward deploy/${first}-debug 6060:6060
    go tool pprof http://localhost:6060/debug/pprof/profile?seconds=30

The port is declared only in this overlay; the production Deployment does not expose it.
`;
  return {
    deployments,
    debugDeployments,
    files: [
      {
        path: 'k8s/deployment.yaml',
        content: ['# Written by gokiln init: hardened Deployment.', ...sources].join('\n') + '\n' + docs(deployments),
      },
      {
        path: 'k8s/debug/deployment-debug.yaml',
        content: '# Written by gokiln init: debug overlay (sidecar with SYS_PTRACE). Not for production.\n' + docs(debugDeployments),
      },
      { path: 'k8s/debug/README.md', content: readme },
    ],
  };
}
