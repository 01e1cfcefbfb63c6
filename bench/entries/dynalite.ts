// dynalite in a process of its own, for benches whose memory figures must not include the table:
// prints `{"url": …}` once listening, and exits when its parent closes stdin.
import { startLocalDynamo } from "../../local/dynamo/server.js";

const dynamo = await startLocalDynamo();
console.log(JSON.stringify({ url: dynamo.url }));
process.stdin.resume();
process.stdin.on("end", () => {
  void dynamo.close().then(() => process.exit(0));
});
