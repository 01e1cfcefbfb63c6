// `npm start`: wiring only. Ctrl-C (or SIGTERM) stops every part and the process ends by itself;
// if stopping hangs, a second Ctrl-C (after a moment) exits at once.

// The SDK is pinned (docs/toolchain.md); its warning about Node 20 is noise in a newcomer's terminal.
// Set before the SDK loads, hence the dynamic import below.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { launch, parseLaunchArgs, USAGE, wantsHelp } = await import("./launch.js");

if (wantsHelp(process.argv.slice(2))) console.log(USAGE);
else await start();

async function start() {
  try {
    const running = await launch(parseLaunchArgs(process.argv.slice(2)));
    let stoppingSince: number | undefined;
    const stop = (signal: NodeJS.Signals) => {
      if (stoppingSince !== undefined) {
        // Terminals and npm may deliver one Ctrl-C twice; only a later one means "force".
        if (Date.now() - stoppingSince > 1_000) process.exit(130);
        return;
      }
      stoppingSince = Date.now();
      console.log(`\n${signal}: stopping…`);
      running.stop().then(
        () => console.log("Stopped."),
        (e: unknown) => {
          console.error("Could not stop cleanly:", e instanceof Error ? e.message : e);
          process.exitCode = 1;
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (e: unknown) {
    console.error(`greenlight: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
