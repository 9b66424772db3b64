import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { applyTheme } from './lib/theme.ts';
import './styles.css';

applyTheme();
const root = document.getElementById('root');
if (!root) throw new Error('#root element missing');
render(() => <App />, root);
