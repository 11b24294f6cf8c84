import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built straight into Django's static tree; Django reads .vite/manifest.json to include the assets.
export default defineConfig({
  plugins: [react()],
  base: '/static/editor/',
  build: {
    outDir: '../../static/editor',
    emptyOutDir: true,
    manifest: true,
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
