// The entry Zapier loads; `_zapier-build` bundles app.ts, the core and the generator into dist/.
module.exports = require('./dist/index.js');
