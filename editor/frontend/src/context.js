import { createContext } from 'react';

/** Catalogues (apps, assets, custom functions, playbooks), datapath suggestions and read-only flag. */
export const EditorContext = createContext({ suggestions: [], apps: [], assets: [], customFunctions: [], playbooks: [], readOnly: false });
