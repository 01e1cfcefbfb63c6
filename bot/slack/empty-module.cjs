// Deliberately empty: stands in for packages Bolt loads but Greenlight never runs on Lambda
// (see bot/slack/bundle.ts). Anything that really used it would fail loudly on first call.
module.exports = {};
