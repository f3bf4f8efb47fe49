// What an app that signs in with cognito-wasm imports (plus pkg/cognito_wasm_bg.wasm, counted separately).
export { default as init, CognitoAuth } from '../../js/index.js';
