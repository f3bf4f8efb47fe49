// The page starts a module Web Worker and shows what it answers.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => (document.getElementById('result').textContent = data);
worker.postMessage(Object.fromEntries(new URLSearchParams(location.search)));
