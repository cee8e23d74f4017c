/** Fault injection: which agents a fault hits. The model applies the effects. */
export { pickVictims } from './victims.js';
