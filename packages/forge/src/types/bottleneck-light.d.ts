// `bottleneck/light.js` is the same API as `bottleneck` without clustering; its package only types the main entry.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
