// Entry point: the customer console at /console and the operator console at /console/admin, one bundle.
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
