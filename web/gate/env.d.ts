// Vite imports the gate page uses that TypeScript does not know by itself.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
declare module '*.css';
