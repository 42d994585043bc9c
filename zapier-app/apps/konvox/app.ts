import { konvox } from '../../../shared/vendors';
import { zapierApp } from '../../src';
import { version } from './package.json';

export = zapierApp(konvox, version);
