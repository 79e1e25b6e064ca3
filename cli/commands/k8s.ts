// `mtsim k8s SCENARIO --shares N`: writes the Kubernetes objects of a run split into N shares
// (deploy/k8s/manifests.ts) as one YAML file for `kubectl apply`, and says how to run it.
import type { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { action } from '../handle-errors.js'
import { MtsimError } from '../../lib/errors.js'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import { k8sManifests } from '../../deploy/k8s/manifests.js'

interface K8sFlags {
  shares: string
  image?: string
  kannelImage?: string
  name?: string
  namespace?: string
  pvc?: string
  storageClass?: string
  networkPods: string
  separate?: boolean
  cpu?: string
  memory?: string
  out?: string
}

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version

function whole(flag: string, text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n < 1) throw new MtsimError('MTSIM_ERR_OPTION', [flag, 'a whole number of 1 or more', JSON.stringify(text)])
  return n
}

export function registerK8s(program: Command): void {
  program
    .command('k8s')
    .description('write the Kubernetes objects of a run split into shares: ConfigMap, network Deployments and Services, coordinator Job, Indexed Job of shares')
    .argument('<scenario>', 'scenario file (YAML or JSON); its network file goes into the ConfigMap too')
    .requiredOption('--shares <n>', 'load generator pods, each playing 1/n of the plan (Indexed Job: parallelism = completions = n)')
    .option('--image <image>', `the mtsim image (built from the Dockerfile)`, `mtsim:${version}`)
    .option('--kannel-image <image>', 'the image with Kannel (Dockerfile target kannel), for gateway: kannel (default: <image>-kannel)')
    .option('--name <name>', 'prefix of every object name (default: the scenario\'s name)')
    .option('--namespace <ns>', 'put every object in this namespace')
    .option('--pvc <size>', 'keep the shares\' results and the merged report on a PersistentVolumeClaim of this size, like 1Gi (default: an emptyDir; the verdict is in the coordinator\'s log)')
    .option('--storage-class <class>', 'storage class of the --pvc claim')
    .option('--network-pods <k>', 'spread the simulated operators over k Deployments (mtsim simulate --operators)', '1')
    .option('--separate', 'never two shares on one node (required pod anti-affinity; default: preferred)')
    .option('--cpu <q>', 'CPU request and limit of each share, like 1 or 500m')
    .option('--memory <q>', 'memory request and limit of each share, like 512Mi')
    .option('--out <file>', 'write the YAML here (default: standard output)')
    .addHelpText(
      'after',
      `
Then:
  kubectl apply -f run.yaml
  kubectl wait --for=condition=complete job/<name>-coordinator     (failed: a threshold failed or a share is missing)
  kubectl logs job/<name>-coordinator                               (the merged summary and the verdict)

Examples:
  mtsim k8s scenarios/quickstart.yaml --shares 4 --image registry.example.com/mtsim:${version} --out run.yaml
  mtsim k8s scenarios/kannel-smoke.yaml --shares 3 --image registry.example.com/mtsim:${version} --pvc 1Gi --separate
`,
    )
    .action(
      action((file: string, flags: K8sFlags) => {
        const run = k8sManifests({
          scenarioFile: resolve(file),
          shares: whole('--shares', flags.shares),
          image: flags.image ?? `mtsim:${version}`,
          kannelImage: flags.kannelImage,
          name: flags.name,
          namespace: flags.namespace,
          pvc: flags.pvc ? { size: flags.pvc, storageClass: flags.storageClass } : undefined,
          networkPods: whole('--network-pods', flags.networkPods),
          separate: flags.separate ?? false,
          cpu: flags.cpu,
          memory: flags.memory,
        })
        const header = `# mtsim k8s ${file} --shares ${flags.shares}: ${run.objects.length} objects of run "${run.name}"\n`
        if (flags.out) writeFileAtomic(flags.out, header + run.yaml)
        else process.stdout.write(header + run.yaml)
        const cmds = run.commands.map((c) => c.replace(`${run.name}.yaml`, flags.out ?? `${run.name}.yaml`))
        process.stderr.write(`${flags.out ? `wrote ${flags.out}\n` : ''}run it with:\n${cmds.map((c) => `  ${c}`).join('\n')}\n`)
        return 0
      }),
    )
}
