import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built straight into Django's static tree; Django reads manifest.json to include the assets.
// The manifest is not hidden (Vite's default is .vite/), so `collectstatic` collects it with
// the assets it names and the served pages name exactly the files that were collected.
export default defineConfig({
  plugins: [react()],
  base: '/static/editor/',
  build: {
    outDir: '../../static/editor',
    emptyOutDir: true,
    manifest: 'manifest.json',
    rolldownOptions: {
      input: 'src/main.jsx',
    },
    chunkSizeWarningLimit: 700,
  },
  test: {
    include: ['src/**/*.test.{js,jsx}'],
    environment: 'node',
  },
});
