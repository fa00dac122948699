/** Entry for the TypeORM CLI (`npm run migration:run|revert|show`). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL: must be set to run the migration CLI');
}

export default new DataSource(dataSourceOptions(url, 2));
