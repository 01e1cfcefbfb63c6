import { cpus, freemem, platform, release, totalmem } from "node:os";

/** The machine the figures were taken on: they mean little without it. */
export function describeMachine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? "unknown CPU";
  const mhz = cpu[0]?.speed ? ` @ ${cpu[0].speed} MHz` : "";
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  return [
    `${model}${mhz}, ${cpu.length} cores`,
    `${gb(totalmem())} RAM (${gb(freemem())} free at start)`,
    `${platform()} ${release()}`,
    `Node ${process.version}`,
  ].join(" · ");
}
