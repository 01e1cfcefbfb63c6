import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { buildApp } from "./app.js";

// `cdk synth` fails on any cdk-nag finding that is not acknowledged with a reason.
const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
buildApp(app);
app.synth();
