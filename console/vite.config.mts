import { defineConfig } from 'vite';

/**
 * The console's bundle: served by the gateway under /console/ (gateway/console/serveConsole.ts), so every asset URL
 * starts there. JSX is compiled by Vite's own transformer (React's automatic runtime); no dev server is needed to
 * work on it: `npm run console:build` and reload.
 */
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // One vendor chunk for the chart library: it is most of the bytes and changes least often.
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: 'charts', test: /node_modules[\\/](recharts|d3-|victory-vendor)/ }] },
      },
      // react-router marks its modules "use client" for React Server Components; a client bundle has no use for it.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
