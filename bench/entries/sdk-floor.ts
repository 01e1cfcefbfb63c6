// Reference only, never shipped: the AWS SDK clients every Greenlight Lambda needs (DynamoDB's
// document client and CodePipeline), built once as the real handlers build them, and nothing else.
// Its bundle size and cold start are the floor for any handler that talks to those two services.
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const pipeline = new CodePipelineClient({});

export const handler = async () => ({ statusCode: 200, body: String(Boolean(dynamo && pipeline)) });
